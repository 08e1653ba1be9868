import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { removeRunNamespaces } from "../cleanup/cluster-debris.ts";

/**
 * `down` for clusters the harness did not start: removes the namespaces that runs interrupted beyond
 * cleanup (SIGKILL) left, one run's or every run's, with the credentials in `config` (its current
 * context). The kubeconfig lives in a private directory only while it is needed.
 */
export async function removeLeftoverNamespaces(config: KubeConfig, runId: string | undefined): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "kac-down-"));
  try {
    const path = join(dir, "kubeconfig");
    await writeFile(path, config.exportConfig(), { mode: 0o600 });
    return await removeRunNamespaces(path, runId);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
