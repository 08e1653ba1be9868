import { waitFor } from "../../ground/wait.ts";
import { controlPlane, workers, type Action, type ClusterContext } from "./action.ts";

/** How long the controller manager may take to sign cluster-info for the token after kubeadm init. */
const SIGNED_TIMEOUT_MS = 120_000;
const SIGNED_POLL_MS = 250;

/**
 * `kubeadm join` on every worker at once; the config written earlier carries the token and endpoint.
 * First the wait kubeadm's discovery would do in steps of five seconds: the bootstrap signer must have
 * signed the cluster-info ConfigMap for this token, which right after init it often has not.
 */
export const kubeadmJoin: Action = {
  name: "kubeadm join",
  async run(context) {
    if (workers(context).length === 0) return;
    await waitForSignedClusterInfo(context);
    await Promise.all(workers(context).map((node) => node.run(["kubeadm", "join", "--config=/kind/kubeadm.conf", "--v=2"])));
  },
};

async function waitForSignedClusterInfo(context: ClusterContext): Promise<void> {
  const signature = `jws-kubeconfig-${context.token.split(".")[0]}`;
  let last = "";
  await waitFor("cluster-info signed for the bootstrap token", async () => {
    last = await controlPlane(context).kubectl("-n", "kube-public", "get", "configmap", "cluster-info", "-o", "jsonpath={.data}").catch((error: Error) => error.message);
    return last.includes(signature) ? true : undefined;
  }, { timeoutMs: SIGNED_TIMEOUT_MS, intervalMs: SIGNED_POLL_MS, lastSeen: () => last.slice(0, 200) });
}
