import { controlPlane, workers, type Action } from "./action.ts";

/** `kubeadm init` on the control-plane node; a cluster without workers must schedule pods there too. */
export const kubeadmInit: Action = {
  name: "kubeadm init",
  async run(context) {
    const node = controlPlane(context);
    await node.run(["kubeadm", "init", "--config=/kind/kubeadm.conf", "--skip-token-print", "--v=2"]);
    if (workers(context).length === 0) {
      await node.kubectl("taint", "nodes", "--all", "node-role.kubernetes.io/control-plane-");
    }
  },
};
