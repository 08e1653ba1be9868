import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestType } from "@playwright/test";
import { CoreV1Api, KubeConfig, type V1Namespace } from "@kubernetes/client-node";
import { namespacedKubeconfig } from "./namespaced-kubeconfig.ts";
import { labelValue, RUN_LABEL } from "../../harness/ground/labels.ts";
import type { RunContext } from "../../harness/ground/run-context.ts";
import { waitFor } from "../../harness/ground/wait.ts";

/** How long a namespace may take to go away (its pods terminating). */
const DELETE_TIMEOUT_MS = 120_000;

/**
 * A namespace of the suite's own for one run and one worker process, named and labelled after both.
 * Playwright replaces the worker after a failing check and runs beforeAll again in the new one: that
 * one deploys its fixtures afresh into a namespace of its own, rather than meet the old one's objects.
 */
export function namespaceName(run: RunContext, suite: string, workerIndex: number): string {
  const suffix = run.runId.replace(/[^a-z0-9]/gi, "").toLowerCase().slice(-12);
  return `kac-${suite}-${suffix}-w${workerIndex}`.slice(0, 63);
}

export async function createNamespace(config: KubeConfig, run: RunContext, suite: string, workerIndex: number): Promise<string> {
  const name = namespaceName(run, suite, workerIndex);
  const body: V1Namespace = { metadata: { name, labels: { [RUN_LABEL]: labelValue(run.runId), "io.kac.suite": suite } } };
  await config.makeApiClient(CoreV1Api).createNamespace({ body });
  return name;
}

/** Deletes the namespace and waits, bounded, until it is gone, so a run leaves nothing behind. */
export async function deleteNamespace(config: KubeConfig, name: string): Promise<void> {
  const api = config.makeApiClient(CoreV1Api);
  await api.deleteNamespace({ name }).catch(ignoreNotFound);
  await waitFor(`namespace ${name} gone after deletion`, async () => {
    const still = await api.readNamespace({ name }).then(() => true, (error) => (ignoreNotFound(error), false));
    return still ? undefined : true;
  }, { timeoutMs: DELETE_TIMEOUT_MS, intervalMs: 1000, lastSeen: () => "it still exists" });
}

function ignoreNotFound(error: { code?: number }): void {
  if (error.code !== 404) throw error;
}

/** A suite's namespace and the kubeconfig copy that works in it; filled in by beforeAll. */
export interface SuiteNamespace {
  name: string;
  kubeconfig: string;
  config: KubeConfig;
  /** A private scratch directory of the suite (removed with the namespace). */
  dir: string;
}

/**
 * Registers beforeAll/afterAll hooks that create the suite's namespace (and a kubeconfig copy whose
 * context points at it) and delete it afterwards, waiting until it is gone.
 */
export function useSuiteNamespace(test: TestType<{}, { run: RunContext }>, suite: string): SuiteNamespace {
  const state = {} as SuiteNamespace;
  test.beforeAll(async ({ run }, testInfo) => {
    state.config = new KubeConfig();
    state.config.loadFromFile(run.kubeconfigPath);
    state.name = await createNamespace(state.config, run, suite, testInfo.workerIndex);
    state.dir = await mkdtemp(join(tmpdir(), `kac-${suite}-`));
    state.kubeconfig = await namespacedKubeconfig(run, state.name, state.dir);
  });
  test.afterAll(async ({ run }) => {
    if (state.name && run.clusterOutlivesRun) await deleteNamespace(state.config, state.name);
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  });
  return state;
}
