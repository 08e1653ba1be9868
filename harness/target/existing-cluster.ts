import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { UsageError } from "../errors/usage-error.ts";
import type { Target } from "./target.ts";

/** How long a silent API server may take to answer before we call it unreachable. */
const REACHABLE_TIMEOUT_MS = 10_000;

/**
 * A cluster the user already runs, chosen by kubeconfig and context. Loading it checks everything a
 * user can get wrong before any suite starts: the file, its syntax, the context, the consent to check
 * it, the server's answer.
 */
export async function connectExistingCluster(kubeconfigPath: string, contextName: string | undefined, allowedContext: string | undefined, workDir: string): Promise<Target> {
  if (!existsSync(kubeconfigPath)) {
    throw new UsageError(`kubeconfig ${kubeconfigPath} does not exist`, "pass the path of an existing kubeconfig with --kubeconfig");
  }
  const config = new KubeConfig();
  try {
    config.loadFromFile(kubeconfigPath);
  } catch (error) {
    const why = (error as Error).message.split("\n")[0];
    throw new UsageError(`kubeconfig ${kubeconfigPath} cannot be read (${why})`, "check that it is a valid kubeconfig (kubectl config view --kubeconfig FILE)");
  }
  const context = contextName ?? config.getCurrentContext();
  if (!context || !config.getContextObject(context)) {
    const known = config.getContexts().map((c) => c.name).join(", ") || "none";
    throw new UsageError(`context "${context || "(none set)"}" is not in ${kubeconfigPath} (contexts: ${known})`, "pass one of them with --context");
  }
  // The suites create namespaces (and remove them) in a cluster the harness did not start: only with
  // the user's word, naming the very context, so a wrong current context cannot be checked by accident.
  if (allowedContext !== context) {
    throw new UsageError(
      `checking context "${context}" creates namespaces labelled io.kac.run in that cluster (removed afterwards)`,
      `consent with --allow-context ${context}`,
    );
  }
  config.setCurrentContext(context);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new UsageError(`context "${context}" names no cluster with a server URL`, "fix the kubeconfig's clusters entry");
  let serverVersion: string;
  try {
    const answer = await Promise.race([
      config.makeApiClient(VersionApi).getCode(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${REACHABLE_TIMEOUT_MS / 1000}s`)), REACHABLE_TIMEOUT_MS).unref()),
    ]);
    serverVersion = answer.gitVersion;
  } catch (error) {
    const status = (error as { code?: unknown }).code;
    if (typeof status === "number") {
      throw new UsageError(`the API server ${server} of context "${context}" answered HTTP ${status} to GET /version`, "check the context's credentials");
    }
    const why = ((error as { cause?: Error }).cause ?? (error as Error)).message.split("\n")[0];
    throw new UsageError(`the API server ${server} of context "${context}" is unreachable (${why})`, "check that the cluster is running and the kubeconfig's server URL and CA are right");
  }
  return { kind: "existing", kubeconfigPath: await writeWorkingCopy(config, context, workDir), contextName: context, server, serverVersion, publishedPorts: [] };
}

/**
 * The suites work on a copy that holds only the chosen context, with it current: documented commands
 * such as `kubectl config view --minify` then mean the target, and the user's own file is never
 * touched. Loading made every file path in it absolute, so the copy works from anywhere.
 */
async function writeWorkingCopy(config: KubeConfig, context: string, workDir: string): Promise<string> {
  const contextObject = config.getContextObject(context)!;
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: config.getClusters().filter((c) => c.name === contextObject.cluster),
    users: config.getUsers().filter((u) => u.name === contextObject.user),
    contexts: [contextObject],
    currentContext: context,
  });
  const path = join(workDir, "kubeconfig");
  await writeFile(path, copy.exportConfig(), { mode: 0o600 });
  return path;
}
