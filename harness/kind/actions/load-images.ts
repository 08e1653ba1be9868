import { rm } from "node:fs/promises";
import { join } from "node:path";
import { seconds } from "../../log/progress.ts";
import { ensureLocalImage, importImage, podNodes, saveImage } from "../load-image.ts";
import type { Action } from "./action.ts";

/**
 * Loads the images the run's Pods use into the nodes (kind's `load docker-image`) in the background,
 * while kubeadm initialises and joins them: the nodes' containerd is up once they have booted. Missing
 * images are bad input and stop the start here. Measured against loading once the nodes were Ready:
 * Ready as soon (the CNI agent's image is a few MB to unpack, see images/node/cni/agent), the images
 * in 15 s sooner. The archives go to the run's work directory, which goes with the cluster whatever
 * ends the start.
 */
export const loadImages: Action = {
  name: "load images",
  async run(context) {
    await Promise.all(context.preload.map((image) => ensureLocalImage(context.host.client, image)));
    const began = Date.now();
    const dir = join(context.workDir, "images");
    const loading = (async () => {
      try {
        const archives = await Promise.all(context.preload.map((image) => saveImage(context.host.client, image, dir)));
        await Promise.all(archives.map((archive) => importImage(podNodes(context.nodes), archive)));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      if (context.preload.length) context.progress.info(`loaded ${context.preload.join(", ")} into the nodes beside the start, in ${seconds(Date.now() - began)}`);
    })();
    // Awaited by waitForBackground; until then a failure must not count as unhandled.
    loading.catch(() => undefined);
    context.background.push(loading);
  },
};
