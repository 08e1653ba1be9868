import { waitFor } from "../../ground/wait.ts";
import { controlPlane, type Action } from "./action.ts";

/** How long nodes may take to turn Ready after joining (CNI up, kubelet reporting). */
const READY_TIMEOUT_MS = 240_000;
const POLL_MS = 1_000;

/** Waits, bounded, until every node reports the Ready condition True. */
export const waitForReady: Action = {
  name: "wait for nodes Ready",
  async run(context) {
    const node = controlPlane(context);
    let last = "";
    await waitFor("nodes Ready", async () => {
      const result = await node.exec([
        "kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", "get", "nodes",
        "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}",
      ]);
      last = result.stdout.trim();
      const states = last.split(/\s+/).filter(Boolean);
      return result.exitCode === 0 && states.length === context.nodes.length && states.every((s) => s.endsWith("=True")) ? true : undefined;
    }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: POLL_MS, lastSeen: () => last || "no answer from the API server" });
  },
};
