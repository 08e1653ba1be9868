import { join } from "node:path";
import { seconds } from "../../log/progress.ts";
import { ensureLocalImage, podNodes, transferImages } from "../load-image.ts";
import { inBackground, type Action } from "./action.ts";

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
    inBackground(context, transferImages(context.host.client, context.preload, podNodes(context.nodes), join(context.workDir, "images")).then(() => {
      if (context.preload.length) context.progress.info(`loaded ${context.preload.join(", ")} into the nodes beside the start, in ${seconds(Date.now() - began)}`);
    }));
  },
};
