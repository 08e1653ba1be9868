import { IMAGES_BUILD_COMMAND } from "../paths.ts";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { UsageError } from "../errors/usage-error.ts";
import type { ContainerRuntimeClient } from "testcontainers";
import { connectDockerHost } from "./docker-host.ts";
import type { StartedKindNode } from "./node-container.ts";
import { imageExists } from "./local-image.ts";

/**
 * Makes a local Docker image available to the cluster's kubelets, as `kind load docker-image` does:
 * saved from Docker once, imported into every node's containerd. Pods then use it with
 * imagePullPolicy IfNotPresent and no registry.
 */
export async function loadImage(cluster: { readonly nodes: readonly StartedKindNode[] }, image: string): Promise<void> {
  const client = await connectDockerHost();
  await ensureLocalImage(client, image);
  await transferImages(client, [image], podNodes(cluster.nodes), await mkdtemp(join(tmpdir(), "kac-image-")));
}

/**
 * The transfer itself: each image saved from Docker once into `dir`, then imported into every one of
 * `nodes`; `dir` is removed afterwards, whatever happened.
 */
export async function transferImages(client: ContainerRuntimeClient, images: string[], nodes: readonly StartedKindNode[], dir: string): Promise<void> {
  try {
    const archives = await Promise.all(images.map((image) => saveImage(client, image, dir)));
    await Promise.all(archives.map((archive) => importImage(nodes, archive)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The nodes the suites' Pods run on: the workers (the control plane is tainted when there are any);
 * importing only there saves a third of the time on the default cluster.
 */
export function podNodes(nodes: readonly StartedKindNode[]): readonly StartedKindNode[] {
  const workers = nodes.filter((node) => node.role === "worker");
  return workers.length ? workers : nodes;
}

/** `docker save` of one local image into an archive of its own in `dir`; resolves with its path. */
async function saveImage(client: ContainerRuntimeClient, image: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const archive = join(dir, `${image.replace(/[^\w.-]+/g, "_")}.tar`);
  await pipeline(await client.container.dockerode.getImage(image).get(), createWriteStream(archive));
  return archive;
}

/**
 * Imports a saved image into each node's containerd, all nodes at once, streamed as kind's `load
 * docker-image` does (`ctr images import -` on the node): copying the archive in first had written
 * and read every byte once more per node. Not unpacked: containerd's CRI unpacks an image on a node
 * when a Pod there first uses it, as it does for the images the node image carries. Unpacking every
 * image on every worker while kubeadm ran took 11-35 s of a start's 2 CPUs, and most nodes never
 * run most images (the suites' images loaded 12.6 s after the nodes booted, where 23-50 s before).
 */
async function importImage(nodes: readonly StartedKindNode[], archive: string): Promise<void> {
  await Promise.all(nodes.map((node) =>
    node.runWithInput(["ctr", "--namespace=k8s.io", "images", "import", "--all-platforms", "--no-unpack", "-"], createReadStream(archive))));
}

/** An image to load must be in the local Docker: there is no registry to fall back on. */
export async function ensureLocalImage(client: ContainerRuntimeClient, image: string): Promise<void> {
  if (!(await imageExists(client, image))) {
    throw new UsageError(`image ${image} is not present locally`, `build it with ${IMAGES_BUILD_COMMAND} (offline) or docker build`);
  }
}
