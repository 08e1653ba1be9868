import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { labelValue, RUN_LABEL } from "../ground/labels.ts";
import { waitFor } from "../ground/wait.ts";

/** How long deleted namespaces may take to go (their Pods terminating). */
const GONE_TIMEOUT_MS = 120_000;

/**
 * Deletes every namespace the run's suites created (labelled io.kac.run=RUN; of every run where no
 * run is named) and waits, bounded, until they are gone. The suites remove their own namespaces; this is for the exits where they
 * cannot: SIGINT, SIGTERM, a killed test runner. Namespaced objects (RBAC included) go with them.
 */
export async function removeRunNamespaces(kubeconfigPath: string, runId: string | undefined): Promise<number> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const api = config.makeApiClient(CoreV1Api);
  const labelSelector = runId ? `${RUN_LABEL}=${labelValue(runId)}` : RUN_LABEL;
  const found = (await api.listNamespace({ labelSelector })).items.map((n) => n.metadata!.name!);
  await Promise.all(found.map((name) => api.deleteNamespace({ name }).catch(() => undefined)));
  let left: string[] = [];
  await waitFor(`namespaces labelled ${labelSelector} gone`, async () => {
    left = (await api.listNamespace({ labelSelector })).items.map((n) => n.metadata!.name!);
    return left.length === 0 ? true : undefined;
  }, { timeoutMs: GONE_TIMEOUT_MS, intervalMs: 1000, lastSeen: () => `still there: ${left.join(", ")}` });
  return found.length;
}
