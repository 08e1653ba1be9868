import { waitFor } from "../../ground/wait.ts";
import { controlPlane, type Action, type ClusterContext } from "./action.ts";

/** How long nodes may take to turn Ready after joining (CNI up, kubelet reporting). */
const READY_TIMEOUT_MS = 240_000;
const POLL_MS = 500;

/**
 * Waits, bounded, until every node reports the Ready condition True. Where the harness assigned the pod
 * subnets, it also puts each on its Node as the node appears (the controller manager's node IPAM would
 * have), and a node counts only once it has its subnet: the CNI agents route between nodes by it.
 */
export const waitForReady: Action = {
  name: "wait for nodes Ready",
  async run(context) {
    const node = controlPlane(context);
    let last = "";
    await waitFor("nodes Ready", async () => {
      const result = await node.exec([
        "kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", "get", "nodes",
        "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}={.spec.podCIDR} {end}",
      ]);
      last = result.stdout.trim();
      if (result.exitCode !== 0) return undefined;
      const states = last.split(/\s+/).filter(Boolean).map((entry) => entry.split("="));
      await Promise.all(states.filter(([, , subnet]) => !subnet).map(([name]) => assignPodSubnet(context, name!)));
      const ready = states.length === context.nodes.length && states.every(([, status, subnet]) => status === "True" && (subnet || !context.podSubnets));
      return ready ? true : undefined;
    }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: POLL_MS, lastSeen: () => last || "no answer from the API server" });
  },
};

/** Puts the node's harness-assigned pod subnet on its Node (settable once, by an admin). */
async function assignPodSubnet(context: ClusterContext, name: string): Promise<void> {
  const subnet = context.podSubnets?.get(name);
  if (!subnet) return;
  await controlPlane(context).kubectl("patch", "node", name, "--type=merge", "-p", JSON.stringify({ spec: { podCIDR: subnet, podCIDRs: [subnet] } }));
}
