import type { Action } from "./action.ts";

/**
 * The last step of a start: what ran beside it (the images loading since the nodes booted, the storage
 * manifest, MetalLB's install) has finished, so the started cluster has everything the suites use and creates nothing more
 * by itself (a run that compares the cluster's objects before and after must see them all before).
 */
export const waitForBackground: Action = {
  name: "wait for images and load balancer",
  async run(context) {
    await Promise.all(context.background);
  },
};
