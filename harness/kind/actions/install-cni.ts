import { parseAllDocuments, stringify } from "yaml";
import { API_SERVER_BIND_PORT } from "../kubeadm-config.ts";
import { controlPlane, type Action, type ClusterContext } from "./action.ts";

const MANIFEST = "/kind/manifests/default-cni.yaml";

/**
 * Applies the node image's default CNI manifest, as kind does: the image decides which CNI (kindnet
 * upstream, the project's own agent offline), the cluster config decides the pod subnet.
 */
export const installCni: Action = {
  name: "install CNI",
  async run(context) {
    if (context.config.networking.disableDefaultCNI) return;
    const node = controlPlane(context);
    const manifest = prepareCniManifest(await node.run(["cat", MANIFEST]), context);
    await node.copyContentToContainer([{ content: manifest, target: "/kind/manifests/applied-cni.yaml" }]);
    await node.kubectl("apply", "-f", "/kind/manifests/applied-cni.yaml");
  },
};

/**
 * kind's manifests carry two markers: "would you kindly template this file" (fill in the pod subnet) and
 * "would you kindly patch this file" (tell kindnet where the API server is, so it need not wait for
 * kube-proxy to make the kubernetes Service reachable).
 */
export function prepareCniManifest(raw: string, context: Pick<ClusterContext, "config" | "nodes">): string {
  const templated = raw.replaceAll("{{ .PodSubnet }}", context.config.networking.podSubnet);
  if (!templated.includes("would you kindly patch this file")) return templated;
  const endpoint = `${controlPlane(context as ClusterContext).nodeName}:${API_SERVER_BIND_PORT}`;
  return parseAllDocuments(templated).map((doc) => {
    const object = doc.toJS();
    if (object?.kind === "DaemonSet") {
      const container = object.spec.template.spec.containers[0];
      container.env = [...(container.env ?? []), { name: "CONTROL_PLANE_ENDPOINT", value: endpoint }];
    }
    return stringify(object);
  }).join("---\n");
}
