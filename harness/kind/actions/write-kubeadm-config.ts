import { parseKubernetesVersion } from "../kubernetes-version.ts";
import { API_SERVER_BIND_PORT, renderKubeadmConfig } from "../kubeadm-config.ts";
import { controlPlane, type Action } from "./action.ts";

/** Learns the Kubernetes version from the node image and writes each node's /kind/kubeadm.conf. */
export const writeKubeadmConfig: Action = {
  name: "write kubeadm config",
  async run(context) {
    const version = parseKubernetesVersion(await controlPlane(context).run(["cat", "/kind/version"]));
    context.version = version;
    const endpoint = `${controlPlane(context).nodeName}:${API_SERVER_BIND_PORT}`;
    await Promise.all(context.nodes.map((node, i) => {
      const content = renderKubeadmConfig({
        cluster: context.config,
        node: { ...context.config.nodes[i]!, name: node.nodeName, address: node.address },
        version,
        controlPlaneEndpoint: endpoint,
        token: context.token,
        cgroupV1: context.host.cgroupVersion === 1,
        provider: "docker",
        podSubnetsAssigned: context.podSubnets !== undefined,
      });
      return node.copyContentToContainer([{ content, target: "/kind/kubeadm.conf" }]);
    }));
  },
};
