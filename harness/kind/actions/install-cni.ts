import { parseAllDocuments, stringify } from "yaml";
import { API_SERVER_BIND_PORT } from "../kubeadm-config.ts";
import { controlPlane, inBackground, type Action, type ClusterContext } from "./action.ts";
import { untilAvailable, type Workload } from "../until-available.ts";

const MANIFEST = "/kind/manifests/default-cni.yaml";
/** How long the CNI's agents may take to run on every node, once the nodes are all there. */
const AGENTS_TIMEOUT_MS = 240_000;

/**
 * Applies the node image's default CNI manifest, as kind does: the image decides which CNI (kindnet
 * upstream, the project's own agent offline), the cluster config decides the pod subnet. In the
 * background, since the join does not need it (it took 0.6-2.4 s of a busy start): nodes whose CNI
 * config the harness wrote are Ready without it, the others wait for it in waitForReady. The start
 * still ends only once the agent runs on every node, because the agents route between nodes.
 */
export const installCni: Action = {
  name: "install CNI",
  async run(context) {
    if (context.config.networking.disableDefaultCNI) return;
    inBackground(context, applyAndWait(context));
  },
};

async function applyAndWait(context: ClusterContext): Promise<void> {
  const node = controlPlane(context);
  const manifest = prepareCniManifest(await node.run(["cat", MANIFEST]), context);
  await node.copyContentToContainer([{ content: manifest, target: "/kind/manifests/applied-cni.yaml" }]);
  await node.kubectl("apply", "-f", "/kind/manifests/applied-cni.yaml");
  for (const daemonSet of daemonSets(manifest)) {
    await untilAvailable(node, daemonSet, context.nodes.length, `CNI agent ${daemonSet.name} on every node`, AGENTS_TIMEOUT_MS);
  }
}

function daemonSets(manifest: string): Workload[] {
  return parseAllDocuments(manifest).map((doc) => doc.toJS()).filter((o) => o?.kind === "DaemonSet")
    .map((o) => ({ kind: "daemonset", namespace: o.metadata.namespace ?? "kube-system", name: o.metadata.name }));
}

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
