import { waitFor } from "../ground/wait.ts";
import type { StartedKindNode } from "./node-container.ts";

/** Where each kind of workload counts its available Pods. */
const AVAILABLE_FIELD = { daemonset: "{.status.numberAvailable}", deployment: "{.status.availableReplicas}" } as const;

export interface Workload {
  kind: keyof typeof AVAILABLE_FIELD;
  namespace: string;
  name: string;
}

/** Waits, bounded, until `workload` has at least `count` available Pods, asking through `node`'s kubectl. */
export async function untilAvailable(node: StartedKindNode, workload: Workload, count: number, what: string, timeoutMs: number): Promise<void> {
  let last = "";
  await waitFor(`${what} available`, async () => {
    last = await node.kubectl("-n", workload.namespace, "get", workload.kind, workload.name, "-o", `jsonpath=${AVAILABLE_FIELD[workload.kind]}`);
    return Number(last) >= count ? true : undefined;
  }, { timeoutMs, intervalMs: 1_000, lastSeen: () => `${last || 0} of ${count} available` });
}
