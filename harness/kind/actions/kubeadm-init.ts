import { SKIP_PHASES } from "../kubeadm-config.ts";
import { controlPlane, workers, type Action } from "./action.ts";

/** The flag replaces the config's list, and keeps it for `kubeadm init phase addon coredns --config`. */
const SKIP_AT_INIT = [...SKIP_PHASES, "addon/coredns"];

/**
 * `kubeadm init` on the control-plane node, without the CoreDNS addon (installClusterDns installs it
 * once kube-proxy runs); a cluster without workers must schedule pods there too.
 */
export const kubeadmInit: Action = {
  name: "kubeadm init",
  async run(context) {
    const node = controlPlane(context);
    await node.run(["kubeadm", "init", "--config=/kind/kubeadm.conf", `--skip-phases=${SKIP_AT_INIT.join(",")}`, "--skip-token-print", "--v=2"]);
    if (workers(context).length === 0) {
      await node.kubectl("taint", "nodes", "--all", "node-role.kubernetes.io/control-plane-");
    }
  },
};
