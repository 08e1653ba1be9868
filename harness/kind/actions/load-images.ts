import { seconds } from "../../log/progress.ts";
import { ensureLocalImage, loadImage } from "../load-image.ts";
import type { Action } from "./action.ts";

/**
 * Loads the images the run's Pods use (kind's `load docker-image`) into the nodes while kubeadm
 * initialises and joins them, rather than after: the nodes' containerd is up once they have booted.
 * Missing images are bad input and stop the start here; the transfer itself runs in the background
 * and `wait for images` ends the start with it.
 */
export const loadImages: Action = {
  name: "load images",
  async run(context) {
    await Promise.all(context.preload.map((image) => ensureLocalImage(context.host.client, image)));
    const began = Date.now();
    const loading = Promise.all(context.preload.map((image) => loadImage(context, image)));
    context.preloading = loading.then(() => {
      if (context.preload.length) context.progress.info(`loaded ${context.preload.join(", ")} into the nodes beside the start, in ${seconds(Date.now() - began)}`);
    });
    // Awaited by waitForImages; until then a failure must not count as unhandled.
    context.preloading.catch(() => undefined);
  },
};

/** The last step of a start: the images loading since the nodes booted are in every node. */
export const waitForImages: Action = {
  name: "wait for images",
  async run(context) {
    await context.preloading;
  },
};
