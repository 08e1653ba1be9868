import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { waitFor } from "./wait.ts";

/**
 * How a cluster handed over at Ready tells the suites' processes that its start has finished: the run
 * writes RunContext's clusterSettledFile, empty, or with the first line of why the start failed.
 */

/** Far beyond a start's usual few seconds past Ready; a start that fails says so at once. */
const SETTLED_TIMEOUT_MS = 240_000;
const POLL_MS = 200;

/**
 * Writes `file` once `settled` has: empty, or the first line of why it failed. Resolves or rejects as
 * `settled` did; a rejection nobody awaits yet is not unhandled.
 */
export function recordSettled(settled: Promise<void>, file: string): Promise<void> {
  const recorded = settled.then(
    () => writeFile(file, ""),
    async (error: unknown) => {
      await writeFile(file, (error as Error).message.split("\n")[0]!).catch(() => undefined);
      throw error;
    },
  );
  recorded.catch(() => undefined);
  return recorded;
}

/** Resolves once `file` exists and is empty; rejects with what it holds otherwise. No file to wait for: at once. */
export async function untilSettled(file: string | undefined, timeoutMs = SETTLED_TIMEOUT_MS): Promise<void> {
  if (!file) return;
  await waitFor("the cluster's start to finish (images, CNI agents, DNS, storage, MetalLB)", () => (existsSync(file) ? true : undefined), { timeoutMs, intervalMs: POLL_MS });
  const failure = readFileSync(file, "utf8");
  if (failure) throw new Error(`the cluster's start did not finish: ${failure}`);
}
