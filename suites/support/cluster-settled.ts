import { existsSync, readFileSync } from "node:fs";
import { loadRunContext } from "../../harness/ground/run-context.ts";
import { waitFor } from "../../harness/ground/wait.ts";

/** Far beyond a start's usual few seconds past Ready; a start that fails says so at once. */
const SETTLED_TIMEOUT_MS = 240_000;
const POLL_MS = 200;

let settled: Promise<void> | undefined;

/**
 * Waits until the cluster the CLI handed over at Ready has finished its start (RunContext's
 * clusterSettledFile): the suites' images in the nodes, the CNI's agents, cluster DNS, storage, MetalLB. Every
 * fixture that runs a Pod of the suites' images, or needs MetalLB, waits here first; a Pod created
 * before its image is in the node would back off pulling it from a registry that is not there. A
 * start that failed makes every such check fail with why. Returns at once where there is nothing to
 * wait for (existing clusters, in-cluster runs).
 */
export function clusterSettled(): Promise<void> {
  settled ??= untilSettled(loadRunContext().clusterSettledFile);
  return settled;
}

/** Resolves once `file` exists and is empty; rejects with what it holds otherwise. */
export async function untilSettled(file: string | undefined, timeoutMs = SETTLED_TIMEOUT_MS): Promise<void> {
  if (!file) return;
  await waitFor("the cluster's start to finish (images, CNI agents, DNS, storage, MetalLB)", () => (existsSync(file) ? true : undefined), { timeoutMs, intervalMs: POLL_MS });
  const failure = readFileSync(file, "utf8");
  if (failure) throw new Error(`the cluster's start did not finish: ${failure}`);
}
