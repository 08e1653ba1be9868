import { nodePodSubnets } from "../pod-subnets.ts";
import type { Action } from "./action.ts";

/** The offline node image's CNI agent, which it also carries as a command (images/node/cni/agent). */
const AGENT = "/usr/bin/kac-cni-agent";

/**
 * Writes each node's CNI config before its kubelet starts, where the node image can (the offline
 * image's agent can; kindnet in kindest/node cannot): the kubelet then finds the network ready at its
 * first look and the node is Ready when it registers, instead of seconds later once its agent Pod has
 * been scheduled and started. The pod subnets are the harness's to assign then, node by node in the
 * config's order; kubeadm config turns the controller manager's node IPAM off and waitForReady puts
 * each subnet on its Node, where the agents read it to route between nodes.
 */
export const writeCniConfig: Action = {
  name: "write CNI config",
  async run(context) {
    if (context.config.networking.disableDefaultCNI) return;
    const subnets = nodePodSubnets(context.config.networking.podSubnet, context.nodes.length);
    if (!subnets) return;
    const carriesAgent = await Promise.all(context.nodes.map((node) => node.exec(["test", "-x", AGENT]).then((r) => r.exitCode === 0)));
    if (!carriesAgent.every(Boolean)) return;
    await Promise.all(context.nodes.map((node, i) => node.run([AGENT, "write-config", subnets[i]!])));
    context.podSubnets = new Map(context.nodes.map((node, i) => [node.nodeName, subnets[i]!]));
  },
};
