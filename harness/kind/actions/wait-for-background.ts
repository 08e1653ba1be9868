import type { Action } from "./action.ts";

/**
 * The last step of a start: what ran beside it (the images loading since the nodes booted, the CNI's
 * agents, cluster DNS, the storage manifest, MetalLB's install) has finished. The started cluster then has
 * everything the suites use and creates nothing more by itself: a run that compares the cluster's
 * objects before and after sees them all before.
 */
export const waitForBackground: Action = {
  name: "wait for images, CNI, DNS, storage and MetalLB",
  async run(context) {
    await Promise.all(context.background);
  },
};
