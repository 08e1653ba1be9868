import { loadRunContext } from "../../harness/ground/run-context.ts";
import { untilSettled } from "../../harness/ground/settled-file.ts";

let settled: Promise<void> | undefined;

/**
 * Waits until the cluster the CLI handed over at Ready has finished its start (RunContext's
 * clusterSettledFile): the suites' images in the nodes, the CNI's agents, cluster DNS, storage, MetalLB.
 * Every fixture that runs a Pod of the suites' images, or needs MetalLB, waits here first; a Pod created
 * before its image is in the node would back off pulling it from a registry that is not there. A
 * start that failed makes every such check fail with why. Returns at once where there is nothing to
 * wait for (existing clusters, in-cluster runs).
 */
export function clusterSettled(): Promise<void> {
  settled ??= untilSettled(loadRunContext().clusterSettledFile);
  return settled;
}
