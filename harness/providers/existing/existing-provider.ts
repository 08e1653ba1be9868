import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { UsageError } from "../../errors/usage-error.ts";
import type { ClusterProvider, ProviderContext, Target } from "../provider.ts";
import { removeLeftoverNamespaces } from "../leftover-namespaces.ts";
import { askServerVersion } from "../server-version.ts";

export interface ExistingProviderOptions {
  kubeconfig: string;
  /** The context to check (default: the kubeconfig's current context). */
  context?: string;
  /** The context the user consents to checking; must name the chosen one. */
  allowContext?: string;
}

/**
 * A cluster the user already runs, chosen by kubeconfig and context. Loading it checks everything a
 * user can get wrong before any suite starts: the file, its syntax, the context, the consent to check
 * it, the server's answer. Nothing is created outside the suites' own namespaces.
 */
export class ExistingProvider implements ClusterProvider {
  readonly kind = "existing";
  private readonly options: ExistingProviderOptions;

  constructor(options: ExistingProviderOptions) {
    this.options = options;
  }

  validate(): void {
    this.load();
  }

  describe(): string[] {
    return [`existing cluster: context ${this.options.context ?? "(the current one)"} of ${this.options.kubeconfig}; nothing is created outside the suites' namespaces`];
  }

  async start({ workDir }: ProviderContext): Promise<Target> {
    const { config, context } = this.load();
    const server = config.getCurrentCluster()?.server;
    if (!server) throw new UsageError(`context "${context}" names no cluster with a server URL`, "fix the kubeconfig's clusters entry");
    const serverVersion = await askServerVersion(config, `the API server ${server} of context "${context}"`, "check the context's credentials", "check that the cluster is running and the kubeconfig's server URL and CA are right");
    return {
      kind: "existing",
      kubeconfigPath: await writeWorkingCopy(config, context, workDir),
      contextName: context,
      server,
      serverVersion,
      // KAC_KUBECTL: a kubectl within one minor version of the cluster, where the one on PATH is not.
      kubectl: process.env.KAC_KUBECTL || "kubectl",
      publishedPorts: [],
      outlivesRun: true,
    };
  }

  /** Removes the namespaces that runs interrupted beyond cleanup (SIGKILL) left in the cluster. */
  async down(runId: string | undefined): Promise<string> {
    const { config, context } = this.load();
    const removed = await removeLeftoverNamespaces(config, runId);
    return `removed ${removed} namespaces labelled io.kac.run${runId ? `=${runId}` : ""} from context ${context}`;
  }

  /** The kubeconfig with the chosen context current, after every check that needs no server. */
  private load(): { config: KubeConfig; context: string } {
    const path = this.options.kubeconfig;
    if (!existsSync(path)) {
      throw new UsageError(`kubeconfig ${path} does not exist`, "pass the path of an existing kubeconfig with --kubeconfig");
    }
    const config = new KubeConfig();
    try {
      config.loadFromFile(path);
    } catch (error) {
      const why = (error as Error).message.split("\n")[0];
      throw new UsageError(`kubeconfig ${path} cannot be read (${why})`, "check that it is a valid kubeconfig (kubectl config view --kubeconfig FILE)");
    }
    const context = this.options.context ?? config.getCurrentContext();
    if (!context || !config.getContextObject(context)) {
      const known = config.getContexts().map((c) => c.name).join(", ") || "none";
      throw new UsageError(`context "${context || "(none set)"}" is not in ${path} (contexts: ${known})`, "pass one of them with --context");
    }
    // The suites create namespaces (and remove them) in a cluster the harness did not start: only with
    // the user's word, naming the very context, so a wrong current context cannot be checked by accident.
    if (this.options.allowContext !== context) {
      throw new UsageError(
        `checking context "${context}" creates namespaces labelled io.kac.run in that cluster (removed afterwards)`,
        `consent with --allow-context ${context}`,
      );
    }
    config.setCurrentContext(context);
    return { config, context };
  }
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
