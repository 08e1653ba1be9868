import { join } from "node:path";
import { countLabelled, removeLabelled } from "../../cleanup/docker-debris.ts";
import { removeWorkDirs } from "../../cleanup/work-dirs.ts";
import { RUN_LABEL } from "../../ground/labels.ts";
import type { PublishedPort } from "../../ground/target.ts";
import { nodeNames } from "../../kind/actions/start-nodes.ts";
import { KindCluster, type StartedKindCluster } from "../../kind/cluster.ts";
import { loadClusterConfig, type ClusterConfig } from "../../kind/cluster-config.ts";
import { connectDockerHost } from "../../kind/docker-host.ts";
import { exportClusterLogs, exportSummary } from "../../kind/export-logs.ts";
import { copyNodeKubectl } from "../../kind/node-kubectl.ts";
import type { MinorRelease } from "../../kind/kubernetes-versions.ts";
import { chooseNodeImage, describeNodeImage } from "../../kind/node-image.ts";
import type { ClusterProvider, ProviderContext, Target } from "../provider.ts";

export interface KindProviderOptions {
  kindConfigPath: string;
  /** The node image; unset: kind's image of the minor, else its offline build. */
  nodeImage?: string;
  /** The Kubernetes minor (--kubernetes); unset: the default minor. */
  kubernetes?: MinorRelease;
  /** Images the suites deploy, loaded into every node (kind's `load docker-image`). */
  images: string[];
  /** Leave the cluster running after the run (without the reaper, which would remove it). */
  keep: boolean;
}

/** A kind cluster started through Testcontainers from kind-config.yaml, removed at the end unless kept. */
export class KindProvider implements ClusterProvider {
  readonly kind = "kind";
  private readonly options: KindProviderOptions;
  /** The cluster of this run, once start() has created it: what exportLogs reads. */
  private cluster: KindCluster | undefined;

  constructor(options: KindProviderOptions) {
    this.options = options;
  }

  validate(): void {
    loadClusterConfig(this.options.kindConfigPath);
  }

  /** The node image: present, pullable, or one clear line on how to build it. */
  async preflight(): Promise<void> {
    await chooseNodeImage(await connectDockerHost(), this.options.nodeImage, this.options.kubernetes);
  }

  describe(): string[] {
    const config = loadClusterConfig(this.options.kindConfigPath);
    const names = nodeNames(config.name, config.nodes);
    const image = this.options.nodeImage ?? describeNodeImage(this.options.kubernetes);
    return [`Docker: a network kac-RUN and ${names.length} node containers (${names.join(", ")}) from ${image}, labelled io.kac.run=RUN, ${this.options.keep ? "left running (--keep)" : "removed at the end"}`];
  }

  async start({ workDir, progress, guard }: ProviderContext): Promise<Target> {
    // A kept cluster is to outlive this process, which is what the reaper undoes once it is gone.
    if (this.options.keep) process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
    const config = loadClusterConfig(this.options.kindConfigPath);
    // Handed over at Ready: the suites' first checks need only the API server, and those that deploy
    // Pods or use MetalLB wait for the rest (RunContext.clusterSettledFile).
    const cluster = new KindCluster({ config, nodeImage: this.options.nodeImage, kubernetes: this.options.kubernetes, images: this.options.images, workDir, progress, returnAtReady: true });
    this.cluster = cluster;
    guard.add("kind cluster", () => cluster.teardown());
    const started = await cluster.start();
    const kubectl = await copyNodeKubectl(started, join(workDir, "bin"));
    if (this.options.keep) guard.remove("kind cluster");
    return {
      kind: "kind",
      kubeconfigPath: started.kubeconfigPath,
      contextName: started.contextName,
      server: started.apiServerUrl,
      serverVersion: started.version.text,
      kubectl,
      nodeImage: started.nodeImage,
      publishedPorts: publishedPorts(config, started),
      clusterStartMs: started.startDurationMs,
      settled: started.settled,
      outlivesRun: this.options.keep,
      ...(this.options.keep ? { keepNote: `The cluster stays up (--keep).\n  reach it: kubectl --kubeconfig ${started.kubeconfigPath} get nodes\n  remove it: npm run kac -- down --run ${started.runId}` } : {}),
    };
  }

  async exportLogs(dir: string): Promise<string> {
    if (!this.cluster) throw new Error("no cluster was started");
    return exportSummary(await exportClusterLogs(await connectDockerHost(), this.cluster.runId, dir));
  }

  /** Removes kind clusters left by --keep (or by a killed run), with their work directories. */
  async down(runId: string | undefined): Promise<string> {
    const client = await connectDockerHost();
    const before = await countLabelled(client, RUN_LABEL, runId);
    const workDirs = await removeWorkDirs(client, runId);
    await removeLabelled(client, RUN_LABEL, runId);
    return `removed ${before.containers} containers, ${before.networks} networks and ${workDirs} work directories${runId ? ` of run ${runId}` : ""}`;
  }
}

/** Where each extraPortMapping landed on the host (a requested host port of 0 means Docker chose). */
function publishedPorts(config: ClusterConfig, cluster: StartedKindCluster): PublishedPort[] {
  return cluster.nodes.flatMap((node, i) => config.nodes[i]!.extraPortMappings.map((m) => ({
    node: node.nodeName,
    containerPort: m.containerPort,
    protocol: m.protocol,
    hostAddress: m.listenAddress === "0.0.0.0" ? "127.0.0.1" : m.listenAddress,
    hostPort: node.hostPort(m.containerPort, m.protocol.toLowerCase()),
  })));
}
