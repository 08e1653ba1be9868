import { workers, type Action } from "./action.ts";

/** `kubeadm join` on every worker at once; the config written earlier carries the token and endpoint. */
export const kubeadmJoin: Action = {
  name: "kubeadm join",
  async run(context) {
    await Promise.all(workers(context).map((node) => node.run(["kubeadm", "join", "--config=/kind/kubeadm.conf", "--v=2"])));
  },
};
