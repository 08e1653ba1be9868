import { NODE_LABEL, ROLE_LABEL } from "../../ground/labels.ts";
import { API_SERVER_BIND_PORT } from "../kubeadm-config.ts";
import type { NodeConfig } from "../cluster-config.ts";
import { KindNodeContainer, type StartedKindNode } from "../node-container.ts";
import type { Action, ClusterContext } from "./action.ts";

/** Starts every node container at once and waits until systemd in each has booted. */
export const startNodes: Action = {
  name: "start nodes",
  async run(context) {
    const network = context.network;
    if (!network) throw new Error("start nodes needs the network");
    const names = nodeNames(context.config.name, context.config.nodes);
    // allSettled, not all: when one node fails (or is removed by an interrupt), the others' creations
    // must have finished before the action ends, or teardown could run before a container exists.
    const starts = await Promise.allSettled(context.config.nodes.map((node, i) => {
      const nodeName = names[i]!;
      return new KindNodeContainer(node.image ?? context.nodeImage, {
        nodeName,
        containerName: `${context.runId}-${nodeName}`,
        role: node.role,
        network,
        host: context.host,
        labels: { ...context.labels, [NODE_LABEL]: nodeName, [ROLE_LABEL]: node.role },
        portMappings: portMappings(context, node),
      }).start();
    }));
    const failed = starts.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    context.nodes = starts.map((s) => (s as PromiseFulfilledResult<StartedKindNode>).value);
  },
};

/** kind's node names: NAME-control-plane, then NAME-worker, NAME-worker2, ... */
export function nodeNames(cluster: string, nodes: NodeConfig[]): string[] {
  const seen = new Map<string, number>();
  return nodes.map((node) => {
    const count = (seen.get(node.role) ?? 0) + 1;
    seen.set(node.role, count);
    return `${cluster}-${node.role}${count > 1 ? count : ""}`;
  });
}

function portMappings(context: ClusterContext, node: NodeConfig) {
  if (node.role !== "control-plane") return node.extraPortMappings;
  const { apiServerAddress, apiServerPort } = context.config.networking;
  return [
    { containerPort: API_SERVER_BIND_PORT, hostPort: apiServerPort, listenAddress: apiServerAddress, protocol: "TCP" as const },
    ...node.extraPortMappings,
  ];
}
