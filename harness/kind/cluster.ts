import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { RUN_LABEL, WORK_DIR_LABEL } from "../ground/labels.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterStartError } from "../errors/cluster-start-error.ts";
import { DEFAULT_KIND_CONFIG } from "../paths.ts";
import { Progress, seconds } from "../log/progress.ts";
import { loadClusterConfig } from "./cluster-config.ts";
import { removeLabelled, removeLabelledContainers } from "../cleanup/docker-debris.ts";
import type { Action, ClusterContext } from "./actions/action.ts";
import { createNetwork } from "./actions/create-network.ts";
import { exportKubeconfig } from "./actions/export-kubeconfig.ts";
import { installCni } from "./actions/install-cni.ts";
import { installClusterDns } from "./actions/install-cluster-dns.ts";
import { installLoadBalancer, loadLoadBalancerImages } from "./actions/install-load-balancer.ts";
import { installStorage } from "./actions/install-storage.ts";
import { kubeadmInit } from "./actions/kubeadm-init.ts";
import { kubeadmJoin } from "./actions/kubeadm-join.ts";
import { loadImages } from "./actions/load-images.ts";
import { waitForBackground } from "./actions/wait-for-background.ts";
import { startNodes } from "./actions/start-nodes.ts";
import { waitForReady } from "./actions/wait-for-ready.ts";
import { writeCniConfig } from "./actions/write-cni-config.ts";
import { writeKubeadmConfig } from "./actions/write-kubeadm-config.ts";
import type { ClusterConfig } from "./cluster-config.ts";
import { connectDockerHost, probeDockerHost } from "./docker-host.ts";
import type { KubernetesVersion } from "./kubernetes-version.ts";
import type { MinorRelease } from "./kubernetes-versions.ts";
import { chooseNodeImage } from "./node-image.ts";
import type { StartedKindNode } from "./node-container.ts";

/** How often an interrupted start is swept for containers that appeared since the last pass. */
const REMOVAL_POLL_MS = 500;

/**
 * kind's order (pkg/cluster/internal/create: nodes, config, init, CNI, storage, join, wait), with
 * the images (the suites' and MetalLB's) going into the nodes from their boot on, each node's CNI
 * config written before its kubelet first starts where the node image allows it, the CNI's agents and
 * the storage manifest applied while the workers join and turn Ready (neither is on the way there),
 * and MetalLB applied once they are: its speaker, a DaemonSet, would otherwise start on every node
 * as it joins.
 */
const PIPELINE: Action[] = [
  createNetwork, startNodes, loadImages, loadLoadBalancerImages, writeCniConfig, writeKubeadmConfig, kubeadmInit,
  installCni, installStorage, kubeadmJoin, waitForReady, installClusterDns, installLoadBalancer, exportKubeconfig,
];

export interface KindClusterOptions {
  /** The cluster's shape (kind-config.yaml, loaded with loadClusterConfig); default: the package's. */
  config?: ClusterConfig;
  /** Explicit node image (flag or KAC_NODE_IMAGE); otherwise kind's default or its offline build. */
  nodeImage?: string;
  /** The Kubernetes minor whose image to use where no image is named; default: the default minor. */
  kubernetes?: MinorRelease;
  /** Local images the run's Pods use, loaded into the nodes while the cluster starts. */
  images?: string[];
  /** Directory for the run's files (the kubeconfig); default: a private temporary one, removed at teardown. */
  workDir?: string;
  /** Where progress lines go; default: stderr. */
  progress?: Progress;
  /**
   * Resolve start() as soon as every node is Ready, while the images, the CNI's agents, storage and
   * MetalLB settle (StartedKindCluster.settled): for runs whose first checks need only the API server.
   */
  returnAtReady?: boolean;
}

/**
 * A kind cluster started through Testcontainers. `start()` returns a StartedKindCluster; `teardown()`
 * removes everything the run created in Docker and is safe to call at any moment, even mid-start.
 */
export class KindCluster {
  readonly runId = `kac-${randomBytes(4).toString("hex")}`;
  private readonly options: KindClusterOptions;
  private starting: Promise<unknown> | undefined;
  private aborted = false;

  private ownWorkDir: string | undefined;

  constructor(options: KindClusterOptions = {}) {
    this.options = options;
  }

  /**
   * Resolves once the cluster has settled (`settled` below), or with `returnAtReady` once every node is
   * Ready and the kubeconfig is written.
   */
  async start(): Promise<StartedKindCluster> {
    const run = this.pipeline();
    // Teardown waits for all of it: the background work creates things too.
    const settled = run.then((started) => started.settled);
    // Awaited below, by teardown, or through `run` by the caller: never unhandled.
    settled.catch(() => undefined);
    this.starting = settled;
    if (!this.options.returnAtReady) await settled;
    return run;
  }

  private async pipeline(): Promise<StartedKindCluster> {
    const config = this.options.config ?? loadClusterConfig(DEFAULT_KIND_CONFIG);
    const progress = this.options.progress ?? new Progress();
    const workDir = this.options.workDir ?? (this.ownWorkDir = await mkdtemp(join(tmpdir(), "kac-cluster-")));
    const labels = { [RUN_LABEL]: this.runId, "io.kac.cluster": config.name, [WORK_DIR_LABEL]: workDir };
    const client = await connectDockerHost();
    const choice = await chooseNodeImage(client, this.options.nodeImage, this.options.kubernetes);
    progress.info(`node image ${choice.image} (${choice.reason})`);
    const host = await probeDockerHost(client, choice.image, labels);
    if (host.runMode === "capabilities") {
      progress.info("this Docker host refuses --privileged: running nodes with an explicit capability set instead");
    }
    const context: ClusterContext = {
      config, runId: this.runId, labels, host, progress,
      nodeImage: choice.image,
      token: bootstrapToken(),
      workDir,
      kubeconfigPath: join(workDir, "kubeconfig"),
      nodes: [],
      preload: this.options.images ?? [],
      background: [],
    };
    const began = Date.now();
    let readyMs = 0;
    const run = async (action: Action) => {
      if (this.aborted) throw new Error("cluster start was interrupted");
      await progress.phase(action.name, () => action.run(context)).catch((error: Error) => {
        throw actionFailed(action.name, error);
      });
    };
    for (const action of PIPELINE) {
      await run(action);
      if (action === waitForReady) readyMs = Date.now() - began;
    }
    progress.info(`cluster ${config.name} ready: ${context.nodes.length} nodes Ready ${seconds(readyMs)} after start`);
    const settled = run(waitForBackground).then(() => {
      progress.info(`cluster ${config.name} settled: ${context.preload.length ? "the images loaded, " : ""}the CNI's agents, DNS, storage and MetalLB ${seconds(Date.now() - began)} after start`);
    });
    // Handled by whoever awaits `settled`, which may be after it failed.
    settled.catch(() => undefined);
    return new StartedKindCluster(this, context, choice.image, readyMs, settled);
  }

  /** Removes the run's containers, volumes and network; waits for an interrupted start to settle first. */
  async teardown(): Promise<void> {
    this.aborted = true;
    const client = await connectDockerHost();
    let settled = this.starting === undefined;
    const start = this.starting?.catch(() => undefined).finally(() => (settled = true));
    // Removing containers as they appear makes a start in progress fail fast instead of running to its
    // end; a container whose creation was in flight appears a moment later and goes the same way.
    while (!settled) {
      await removeLabelledContainers(client, RUN_LABEL, this.runId);
      await Promise.race([start, sleep(REMOVAL_POLL_MS)]);
    }
    // Nothing is being created any more: the containers, their volumes, then the network.
    await removeLabelled(client, RUN_LABEL, this.runId);
    if (this.ownWorkDir) await rm(this.ownWorkDir, { recursive: true, force: true });
  }
}

/** A running cluster: how to reach it, and what it is made of. */
export class StartedKindCluster {
  private readonly cluster: KindCluster;
  private readonly context: ClusterContext;
  readonly nodeImage: string;
  /** Milliseconds from the first node's creation to every node Ready. */
  readonly startDurationMs: number;
  /**
   * Resolves once what the start ran beside its steps has finished: the images in the nodes, the CNI's
   * agents on every node, CoreDNS answering, storage, MetalLB's objects. Rejects, as a failed start, with what failed.
   * Checks that need no more than the API server may run before.
   */
  readonly settled: Promise<void>;

  constructor(cluster: KindCluster, context: ClusterContext, nodeImage: string, startDurationMs: number, settled: Promise<void>) {
    this.cluster = cluster;
    this.context = context;
    this.nodeImage = nodeImage;
    this.startDurationMs = startDurationMs;
    this.settled = settled;
  }

  get runId(): string {
    return this.cluster.runId;
  }

  get name(): string {
    return this.context.config.name;
  }

  get kubeconfigPath(): string {
    return this.context.kubeconfigPath;
  }

  /** The API server as the host reaches it (the exported kubeconfig's server). */
  get apiServerUrl(): string {
    return this.context.apiServerUrl ?? "";
  }

  get contextName(): string {
    return `kind-${this.context.config.name}`;
  }

  get nodes(): readonly StartedKindNode[] {
    return this.context.nodes;
  }

  get version(): KubernetesVersion {
    if (!this.context.version) throw new Error("the cluster's version is known once it has started");
    return this.context.version;
  }

  teardown(): Promise<void> {
    return this.cluster.teardown();
  }
}

/** Says which of the pipeline's actions failed, with what the failing command said. */
function actionFailed(phase: string, cause: Error): ClusterStartError {
  const lines = cause.message.trim().split("\n");
  const problem = lines.findLast((l) => /error|fail|refused|timed out/i.test(l)) ?? lines[0]!;
  return new ClusterStartError(`the kind cluster did not start: "${phase}" failed: ${problem.trim()}`, lines.slice(-12).join("\n"), "the node's own output");
}

/** kubeadm's bootstrap token format: [a-z0-9]{6}.[a-z0-9]{16}. */
function bootstrapToken(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const pick = (n: number) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");
  return `${pick(6)}.${pick(16)}`;
}
