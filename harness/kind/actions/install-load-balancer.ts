import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { RUN_LABEL, labelValue } from "../../ground/labels.ts";
import { seconds } from "../../log/progress.ts";
import { IMAGES_BUILD_COMMAND, PROJECT_ROOT } from "../../paths.ts";
import { imageExists } from "../local-image.ts";
import { transferImages } from "../load-image.ts";
import { controlPlane, inBackground, type Action, type ChosenImage, type ClusterContext } from "./action.ts";

/** The MetalLB release the harness installs on its kind clusters (images/metallb/build.sh builds the same). */
export const METALLB_VERSION = "v0.16.2";
/** Upstream's manifest of that release (config/manifests/metallb-native.yaml), saved by images/metallb/build.sh. */
export const METALLB_MANIFEST = join(PROJECT_ROOT, "images", "metallb", "metallb-native.yaml");
export const METALLB_NAMESPACE = "metallb-system";
/** The IPAddressPool and L2Advertisement the harness creates: addresses of the run's Docker network. */
export const METALLB_POOL = "kac-docker-network";
/** Each component's image: upstream's (online machines), and its offline build from the Go module proxy. */
export const METALLB_IMAGES = {
  controller: { upstream: `quay.io/metallb/controller:${METALLB_VERSION}`, offline: `kac.local/metallb-controller:${METALLB_VERSION}` },
  speaker: { upstream: `quay.io/metallb/speaker:${METALLB_VERSION}`, offline: `kac.local/metallb-speaker:${METALLB_VERSION}` },
} as const;
/** How many addresses at the top of the network's subnet the pool holds; Docker hands out addresses from the bottom. */
const POOL_SIZE = 15;

/**
 * MetalLB's images into the nodes, beside the start from the nodes' boot on, like the suites' images
 * (loadImages): after Ready, they had kept the start going 7.5 s longer. Into every node, the control
 * plane included: the speaker is a DaemonSet that runs there too. installLoadBalancer waits for them
 * and says how they failed, if they did.
 */
export const loadLoadBalancerImages: Action = {
  name: "load MetalLB images",
  async run(context) {
    const transfer = chooseImages(context).then(async (images) => {
      await transferImages(context.host.client, images.filter((i) => i.local).map((i) => i.image), context.nodes, join(context.workDir, "metallb-images"));
      return images;
    });
    // Handled where it is awaited, which may be long after a failure.
    transfer.catch(() => undefined);
    context.loadBalancerImages = transfer;
  },
};

/**
 * A load-balancer controller, as kind users add one: MetalLB in L2 mode, answering ARP on the run's
 * Docker network for addresses from the top of its subnet, so that a LoadBalancer Service gets an
 * external address that any container on that network reaches (SP-22).
 *
 * The install runs in the background once the nodes are Ready (its speaker, a DaemonSet, would start
 * on each node as it joins); the start's last step waits for its objects to be applied, not for
 * MetalLB to be ready: SP-22 waits for the address itself. A failure is one progress line (SP-22
 * then fails with the pods' state as evidence); the objects go away with the cluster.
 */
export const installLoadBalancer: Action = {
  name: "install load balancer",
  async run(context) {
    const began = Date.now();
    inBackground(context, install(context).then(
      (what) => context.progress.info(`MetalLB ${METALLB_VERSION} installed in the background, ${seconds(Date.now() - began)} after Ready: ${what}`),
      (error: Error) => context.progress.info(`MetalLB ${METALLB_VERSION} was not installed (LoadBalancer Services get no address): ${error.message.trim().split("\n").join(" ")}`),
    ));
  },
};

async function install(context: ClusterContext): Promise<string> {
  const node = controlPlane(context);
  const network = context.network;
  if (!network) throw new Error("the run's network does not exist");
  if (!context.loadBalancerImages) throw new Error("MetalLB's images were not loaded into the nodes");
  const inspect = await context.host.client.container.dockerode.getNetwork(network.getId()).inspect() as { IPAM?: { Config?: { Subnet?: string }[] } };
  const subnet = (inspect.IPAM?.Config ?? []).map((c) => c.Subnet ?? "").find((s) => poolRange(s) !== undefined);
  if (!subnet) throw new Error(`network ${network.getName()} has no IPv4 subnet of /27 or wider for an address pool`);
  const range = poolRange(subnet)!;

  // Images first: a Pod created before its image is in the node's containerd would back off pulling it.
  const images = await context.loadBalancerImages;

  const { base, pool, webhooks } = prepareManifest(await readFile(METALLB_MANIFEST, "utf8"), {
    controller: images[0]!.image, speaker: images[1]!.image,
  }, range, labelValue(context.runId));
  const files = { base: "/kind/manifests/metallb.yaml", pool: "/kind/manifests/metallb-pool.yaml", webhooks: "/kind/manifests/metallb-webhooks.yaml" };
  await node.copyContentToContainer([
    { content: base, target: files.base }, { content: pool, target: files.pool }, { content: webhooks, target: files.webhooks },
  ]);
  await node.kubectl("apply", "-f", files.base);
  await node.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/ipaddresspools.metallb.io", "crd/l2advertisements.metallb.io");
  // The pool before the validating webhooks: they are served by the controller, which is not running
  // yet (its Pod was created a moment ago), and refuse everything until it is. Nothing else creates MetalLB
  // objects meanwhile, and the pool is valid as written.
  await node.kubectl("apply", "-f", files.pool);
  await node.kubectl("apply", "-f", files.webhooks);
  return `pool ${range} of ${network.getName()} (${subnet}), images ${images.map((i) => `${i.image}${i.local ? "" : " (pulled by the nodes)"}`).join(", ")}`;
}

/**
 * The offline build where Docker has it, else upstream's image (loaded from Docker when present there,
 * else pulled by the nodes, as online kind users' nodes do).
 */
async function chooseImages(context: ClusterContext): Promise<ChosenImage[]> {
  const { client } = context.host;
  return Promise.all([METALLB_IMAGES.controller, METALLB_IMAGES.speaker].map(async ({ upstream, offline }) => {
    if (await imageExists(client, offline)) return { image: offline, local: true };
    if (await imageExists(client, upstream)) return { image: upstream, local: true };
    context.progress.info(`MetalLB: ${offline} is not present locally (offline, build it with ${IMAGES_BUILD_COMMAND}); the nodes pull ${upstream}`);
    return { image: upstream, local: false };
  }));
}

/**
 * Upstream's manifest with the chosen images, in three parts by when they may be applied: everything but
 * the validating webhooks; the pool and its L2Advertisement (once the CRDs are established); the webhooks.
 */
export function prepareManifest(raw: string, images: { controller: string; speaker: string }, range: string, runLabel: string): { base: string; pool: string; webhooks: string } {
  const replaced: Record<string, string> = {
    [METALLB_IMAGES.controller.upstream]: images.controller,
    [METALLB_IMAGES.speaker.upstream]: images.speaker,
  };
  const objects = parseAllDocuments(raw).map((doc) => doc.toJS()).filter(Boolean);
  for (const object of objects) {
    for (const container of object.spec?.template?.spec?.containers ?? []) {
      if (!(container.image in replaced)) throw new Error(`${METALLB_MANIFEST}: unexpected image ${container.image} (expected MetalLB ${METALLB_VERSION})`);
      container.image = replaced[container.image];
      container.imagePullPolicy = "IfNotPresent";
    }
  }
  const documents = (list: object[]) => list.map((o) => stringify(o)).join("---\n");
  const isWebhooks = (o: { kind?: string }) => o.kind === "ValidatingWebhookConfiguration";
  const metadata = { name: METALLB_POOL, namespace: METALLB_NAMESPACE, labels: { [RUN_LABEL]: runLabel } };
  return {
    base: documents(objects.filter((o) => !isWebhooks(o))),
    pool: documents([
      { apiVersion: "metallb.io/v1beta1", kind: "IPAddressPool", metadata, spec: { addresses: [range] } },
      { apiVersion: "metallb.io/v1beta1", kind: "L2Advertisement", metadata, spec: { ipAddressPools: [METALLB_POOL] } },
    ]),
    webhooks: documents(objects.filter(isWebhooks)),
  };
}

/**
 * The pool's range: the last POOL_SIZE addresses of an IPv4 subnet below its broadcast address
 * (172.18.0.0/16 → 172.18.255.240-172.18.255.254); undefined for IPv6 and subnets narrower than /27.
 */
export function poolRange(subnet: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet);
  if (!match) return undefined;
  const [a, b, c, d, bits] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (bits > 27 || bits < 1) return undefined;
  const base = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const broadcast = (base | (2 ** (32 - bits) - 1)) >>> 0;
  const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
  return `${dotted(broadcast - POOL_SIZE)}-${dotted(broadcast - 1)}`;
}
