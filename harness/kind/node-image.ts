import { IMAGES_BUILD_COMMAND } from "../paths.ts";
import { ImageName, type ContainerRuntimeClient } from "testcontainers";
import { UsageError } from "../errors/usage-error.ts";
import { imageExists } from "./local-image.ts";

/** kind v0.32.0's default node image (pkg/apis/config/defaults/image.go), pinned by tag and digest. */
export const UPSTREAM_NODE_IMAGE = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

/** Where `npm run images` puts the node image it builds from the Go module proxy and Debian packages. */
export const OFFLINE_NODE_REPOSITORY = "kac.local/node";

export interface NodeImageChoice {
  image: string;
  /** Why this image: said once on the terminal and kept in the report. */
  reason: string;
}

/**
 * Picks the node image: an explicit choice (flag or KAC_NODE_IMAGE) first, else kind's upstream image;
 * where that is neither present nor pullable (no registry) but the offline build of the same Kubernetes
 * version is, that one.
 */
export async function chooseNodeImage(client: ContainerRuntimeClient, requested: string | undefined): Promise<NodeImageChoice> {
  if (requested) {
    await ensurePresent(client, requested, "pass an image that exists locally or can be pulled");
    return { image: requested, reason: "requested" };
  }
  if (await imageExists(client, UPSTREAM_NODE_IMAGE)) return { image: UPSTREAM_NODE_IMAGE, reason: "kind's default image, present locally" };
  const offline = offlineEquivalent(UPSTREAM_NODE_IMAGE);
  if (await imageExists(client, offline)) return { image: offline, reason: `offline build of the default version (${UPSTREAM_NODE_IMAGE} is not present)` };
  await ensurePresent(client, UPSTREAM_NODE_IMAGE, `with no registry reachable, build the offline image first: ${IMAGES_BUILD_COMMAND}`);
  return { image: UPSTREAM_NODE_IMAGE, reason: "kind's default image, pulled" };
}

/** kac.local/node with the upstream image's tag (its Kubernetes version). */
export function offlineEquivalent(upstream: string): string {
  return `${OFFLINE_NODE_REPOSITORY}:${ImageName.fromString(upstream).tag}`;
}

async function ensurePresent(client: ContainerRuntimeClient, image: string, hint: string): Promise<void> {
  if (await imageExists(client, image)) return;
  try {
    await client.image.pull(ImageName.fromString(image));
  } catch {
    throw new UsageError(`node image ${image} is not present and could not be pulled`, hint);
  }
}
