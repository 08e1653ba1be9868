import { seconds } from "../../log/progress.ts";
import { controlPlane, inBackground, type Action, type ClusterContext } from "./action.ts";
import { untilAvailable, type Workload } from "../until-available.ts";

const KUBE_PROXY: Workload = { kind: "daemonset", namespace: "kube-system", name: "kube-proxy" };
/** kubeadm's CoreDNS addon: its Deployment keeps the name of the kube-dns it replaced only on the Service. */
const COREDNS: Workload = { kind: "deployment", namespace: "kube-system", name: "coredns" };
/** How long kube-proxy may take to run on every node, then CoreDNS to answer. */
const TIMEOUT_MS = 240_000;

/**
 * The cluster's DNS, kubeadm's CoreDNS addon (kubeadmInit skips it), installed once kube-proxy runs on
 * every node. CoreDNS reaches the API server through the kubernetes Service, which only kube-proxy
 * routes. Nodes are Ready as they register (writeCniConfig), so CoreDNS installed by `kubeadm init`
 * started before kube-proxy, whose image is unpacked at its first start (20-40 s on two clusters
 * starting side by side); CoreDNS's API client had backed off to 30 s between tries by then, and it
 * answered no name for a minute past Ready. In the background: the start's last step waits until a
 * replica answers. Without kube-proxy (kubeProxyMode none) whatever replaces it must route the
 * Service: CoreDNS is installed at once and not waited for.
 */
export const installClusterDns: Action = {
  name: "install cluster DNS",
  async run(context) {
    const began = Date.now();
    inBackground(context, install(context).then((what) => context.progress.info(`cluster DNS: ${what}, ${seconds(Date.now() - began)} after Ready`)));
  },
};

async function install(context: ClusterContext): Promise<string> {
  const node = controlPlane(context);
  const withKubeProxy = context.config.networking.kubeProxyMode !== "none";
  const began = Date.now();
  if (withKubeProxy) await untilAvailable(node, KUBE_PROXY, context.nodes.length, "kube-proxy on every node", TIMEOUT_MS);
  const kubeProxyMs = Date.now() - began;
  await node.run(["kubeadm", "init", "phase", "addon", "coredns", "--config=/kind/kubeadm.conf"]);
  if (!withKubeProxy) return "CoreDNS installed, not waited for (no kube-proxy)";
  await untilAvailable(node, COREDNS, 1, "CoreDNS", TIMEOUT_MS);
  return `kube-proxy on every node ${seconds(kubeProxyMs)} after Ready, CoreDNS answering`;
}
