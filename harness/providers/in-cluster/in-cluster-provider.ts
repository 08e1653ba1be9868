import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { UsageError } from "../../errors/usage-error.ts";
import type { ClusterProvider, ProviderContext, Target } from "../provider.ts";
import { removeLeftoverNamespaces } from "../leftover-namespaces.ts";
import { askServerVersion } from "../server-version.ts";
import { missingAccess } from "./access-review.ts";
import { HARNESS_CLUSTER_ROLE_RULES } from "./required-access.ts";

/** Where Kubernetes mounts a Pod's ServiceAccount token, CA and namespace (KAC_SERVICE_ACCOUNT_DIR where mounted elsewhere). */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The environment variable that carries the consent where no flag can be passed (a Job's, the Sonobuoy plugin's). */
export const IN_CLUSTER_CONSENT_VARIABLE = "KAC_ALLOW_IN_CLUSTER";
const CONTEXT = "in-cluster";

export interface InClusterProviderOptions {
  /** The consent to create (and remove) the suites' namespaces in the cluster this Pod runs in. */
  allow: boolean;
}

/**
 * The cluster the harness runs in (as a Job, or as a Sonobuoy plugin), reached with the Pod's own
 * ServiceAccount through the `kubernetes` Service, as the in-cluster clients of the documentation do.
 * Before any suite starts it verifies the consent and every right the suites need; a missing one is
 * bad input, and nothing has been created.
 */
export class InClusterProvider implements ClusterProvider {
  readonly kind = "in-cluster";
  private readonly options: InClusterProviderOptions;

  constructor(options: InClusterProviderOptions) {
    this.options = options;
  }

  validate(): void {
    this.load();
  }

  describe(): string[] {
    return ["in-cluster: the cluster this Pod runs in, with its ServiceAccount; nothing is created outside the suites' namespaces"];
  }

  async start({ workDir }: ProviderContext): Promise<Target> {
    const { config, server } = this.load();
    const serverVersion = await askServerVersion(config, `the API server ${server} (from inside the cluster)`, "check the Pod's ServiceAccount token", "check the Pod's network policy and that KUBERNETES_SERVICE_HOST is right");
    const missing = await missingAccess(config, HARNESS_CLUSTER_ROLE_RULES);
    if (missing.length) {
      const shown = missing.slice(0, 6).join(", ") + (missing.length > 6 ? ` and ${missing.length - 6} more` : "");
      throw new UsageError(`the ServiceAccount ${this.serviceAccount()} may not ${shown}`, "bind it to the ClusterRole that `kube-access-conformance job-manifest` prints");
    }
    return {
      kind: "in-cluster",
      kubeconfigPath: await writeKubeconfig(config, workDir),
      contextName: CONTEXT,
      server,
      serverVersion,
      kubectl: process.env.KAC_KUBECTL || "kubectl",
      publishedPorts: [],
      outlivesRun: true,
    };
  }

  /** Removes the namespaces that interrupted runs left in this cluster. */
  async down(runId: string | undefined): Promise<string> {
    const removed = await removeLeftoverNamespaces(this.load().config, runId);
    return `removed ${removed} namespaces labelled io.kac.run${runId ? `=${runId}` : ""} from the cluster this Pod runs in`;
  }

  /** The Pod's credentials as a kubeconfig, after the checks that need no server: a Pod, and consent. */
  private load(): { config: KubeConfig; server: string } {
    const dir = process.env.KAC_SERVICE_ACCOUNT_DIR || SERVICE_ACCOUNT_DIR;
    const host = process.env.KUBERNETES_SERVICE_HOST;
    if (!host || !existsSync(join(dir, "token"))) {
      throw new UsageError(
        `--in-cluster: this process does not run in a Pod with a ServiceAccount (${host ? `no token in ${dir}` : "KUBERNETES_SERVICE_HOST is not set"})`,
        "run it in the cluster as a Job (kube-access-conformance job-manifest) or check the cluster from outside with --kubeconfig",
      );
    }
    if (!this.options.allow) {
      throw new UsageError(
        "checking the cluster this Pod runs in creates namespaces labelled io.kac.run there (removed afterwards)",
        `consent with --allow-in-cluster, or ${IN_CLUSTER_CONSENT_VARIABLE}=true in the Pod's environment`,
      );
    }
    const server = `https://${host.includes(":") ? `[${host}]` : host}:${process.env.KUBERNETES_SERVICE_PORT || "443"}`;
    const namespaceFile = join(dir, "namespace");
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: CONTEXT, server, caFile: join(dir, "ca.crt"), skipTLSVerify: false }],
      // The token is read now and travels in the private work directory's kubeconfig (mode 0600): kubectl
      // would read a tokenFile, but the JavaScript client the suites use does not.
      users: [{ name: "service-account", token: readFileSync(join(dir, "token"), "utf8").trim() }],
      contexts: [{ name: CONTEXT, cluster: CONTEXT, user: "service-account", ...(existsSync(namespaceFile) ? { namespace: readFileSync(namespaceFile, "utf8").trim() } : {}) }],
      currentContext: CONTEXT,
    });
    return { config, server };
  }

  /** namespace/name of the Pod's ServiceAccount, from its token's claims (for the message only). */
  private serviceAccount(): string {
    const dir = process.env.KAC_SERVICE_ACCOUNT_DIR || SERVICE_ACCOUNT_DIR;
    try {
      const claims = JSON.parse(Buffer.from(readFileSync(join(dir, "token"), "utf8").split(".")[1]!, "base64url").toString()) as { sub?: string };
      return claims.sub?.replace(/^system:serviceaccount:/, "").replace(":", "/") ?? "of this Pod";
    } catch {
      return "of this Pod";
    }
  }
}

async function writeKubeconfig(config: KubeConfig, dir: string): Promise<string> {
  const path = join(dir, "kubeconfig");
  await writeFile(path, config.exportConfig(), { mode: 0o600 });
  return path;
}
