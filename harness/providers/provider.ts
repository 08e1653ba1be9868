import type { ExitGuard } from "../cleanup/exit-guard.ts";
import type { PublishedPort, TargetKind } from "../ground/target.ts";
import type { Progress } from "../log/progress.ts";

/** What a provider gets from the run: a private directory for credentials, progress lines, the exit guard. */
export interface ProviderContext {
  /** Private to this run (mode 0700): kubeconfigs and binaries go here, never next to the reports. */
  workDir: string;
  progress: Progress;
  /** Everything a provider creates is registered here before it exists, so every way out removes it. */
  guard: ExitGuard;
}

/** A cluster ready for the suites, as the provider that gave it describes it. */
export interface Target {
  kind: TargetKind;
  kubeconfigPath: string;
  contextName: string;
  /** The API server URL of that context, as the kubeconfig states it. */
  server: string;
  /** Server version as the API reports it (e.g. v1.36.1). */
  serverVersion: string;
  /** A kubectl within one minor version of the cluster, for the documented commands. */
  kubectl: string;
  /** The node image, where the provider chose one. */
  nodeImage?: string;
  /** Node ports published on this machine (kind's extraPortMappings); empty where there are none. */
  publishedPorts: PublishedPort[];
  /** Time from the first node to every node Ready, where the provider started the cluster. */
  clusterStartMs?: number;
  /**
   * Where the provider hands the cluster over at Ready while its start goes on (kind: the images, the
   * CNI's agents, cluster DNS, storage, MetalLB): resolves once that has finished, rejects with what failed.
   */
  settled?: Promise<void>;
  /**
   * Whether the cluster outlives the run (an existing cluster, or a kind cluster kept on request): the
   * run then removes its namespaces itself on every way out, where a removed cluster takes them along.
   */
  outlivesRun: boolean;
  /** Printed at the end of the run: how to reach and remove a cluster left running on request. */
  keepNote?: string;
}

/**
 * Where a run's cluster comes from: kind through Testcontainers, an existing cluster from a
 * kubeconfig, or the cluster the harness itself runs in. The run knows only this interface.
 */
export interface ClusterProvider {
  readonly kind: TargetKind;
  /**
   * Checks what the user gave that needs no server (files, context, consent, where it runs), throwing
   * a UsageError, before the run starts anything: bad input is one line and leaves nothing.
   */
  validate(): void;
  /**
   * What would stop start() that can be known before anything is created, beyond validate(): a matrix
   * asks every column before it starts any, so a missing node image is one line and leaves nothing.
   */
  preflight?(): Promise<void>;
  /**
   * Like `kind export logs`: the nodes' journals, the components' logs, the cluster's events, into
   * `dir`; for a run that failed a check or failed to start. Says what it wrote. Providers that did not
   * start the cluster have no nodes to read and leave it out.
   */
  exportLogs?(dir: string): Promise<string>;
  /** For --dry-run: what start() would create or use. Creates nothing and contacts nothing. */
  describe(): string[];
  /** Makes the cluster ready; registers the removal of whatever it creates with the guard first. */
  start(context: ProviderContext): Promise<Target>;
  /** For `down`: removes what earlier runs of this provider left behind (one run's, or all); says what. */
  down(runId: string | undefined): Promise<string>;
}
