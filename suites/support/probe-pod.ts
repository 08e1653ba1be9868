import { CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { expect } from "@playwright/test";
import { clusterSettled } from "./cluster-settled.ts";
import type { CommandResult, Kubectl } from "./kubectl.ts";

/** How long a probe Pod may take to become Ready (image on the nodes already). */
const READY_TIMEOUT_MS = 120_000;

/**
 * A Pod of the probe image that sleeps until the suite execs the documentation's commands in it. The
 * spec can be adjusted (a sidecar, no token automount, another DNS config) by the caller.
 */
export async function startProbePod(config: KubeConfig, namespace: string, name: string, image: string, adjust: (pod: V1Pod) => void = () => {}): Promise<void> {
  const pod: V1Pod = {
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "probe", image, imagePullPolicy: "IfNotPresent", command: ["sleep", "infinity"] }],
    },
  };
  adjust(pod);
  const api = config.makeApiClient(CoreV1Api);
  await clusterSettled();
  await api.createNamespacedPod({ namespace, body: pod });
  await expect.poll(async () => {
    const status = (await api.readNamespacedPod({ name, namespace })).status;
    return status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? "Ready" : `${status?.phase} ${status?.containerStatuses?.map((c) => c.state?.waiting?.reason ?? "").join(" ")}`;
  }, { timeout: READY_TIMEOUT_MS, message: `probe pod ${namespace}/${name} Ready` }).toBe("Ready");
}

/** Runs a shell script in the pod, as a person would with `kubectl exec POD -- sh -c '...'`. */
export function inPod(kubectl: Kubectl, namespace: string, pod: string, script: string, container = "probe"): Promise<CommandResult> {
  return kubectl.command(kubectl.binary, ["--kubeconfig", kubectl.kubeconfigPath, "exec", "-n", namespace, pod, "-c", container, "--", "sh", "-c", script], `kubectl exec ${pod} -- sh -c '${script}'`);
}
