import { setTimeout as sleep } from "node:timers/promises";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { labelValue, RUN_LABEL } from "../ground/labels.ts";

/** How long deleted namespaces may take to go (their Pods terminating). */
const GONE_TIMEOUT_MS = 120_000;

/**
 * Deletes every namespace the run's suites created (labelled io.kac.run=RUN) and waits, bounded,
 * until they are gone. The suites remove their own namespaces; this is for the exits where they
 * cannot: SIGINT, SIGTERM, a killed test runner. Namespaced objects (RBAC included) go with them.
 */
export async function removeRunNamespaces(kubeconfigPath: string, runId: string): Promise<number> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const api = config.makeApiClient(CoreV1Api);
  const labelSelector = `${RUN_LABEL}=${labelValue(runId)}`;
  const found = (await api.listNamespace({ labelSelector })).items.map((n) => n.metadata!.name!);
  await Promise.all(found.map((name) => api.deleteNamespace({ name }).catch(() => undefined)));
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  while ((await api.listNamespace({ labelSelector })).items.length > 0) {
    if (Date.now() > deadline) throw new Error(`namespaces labelled ${labelSelector} still exist after ${GONE_TIMEOUT_MS / 1000}s`);
    await sleep(1000);
  }
  return found.length;
}
