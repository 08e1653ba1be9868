import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { RunContext } from "../../harness/ground/run-context.ts";

/**
 * A copy of the run's kubeconfig whose current context works in the suite's namespace, so that the
 * documentation's commands run verbatim (no -n added) and still create nothing outside it.
 */
export async function namespacedKubeconfig(run: RunContext, namespace: string, dir: string): Promise<string> {
  const config = parse(await readFile(run.kubeconfigPath, "utf8"));
  for (const entry of config.contexts) {
    if (entry.name === run.contextName) entry.context.namespace = namespace;
  }
  const path = join(dir, `kubeconfig-${namespace}`);
  await writeFile(path, stringify(config), { mode: 0o600 });
  return path;
}
