import type { MinorRelease } from "../kind/kubernetes-versions.ts";

/** What a run is asked to do: the CLI's `run` flags, and the programmatic API's options. */
export interface RunOptions {
  kindConfig: string;
  nodeImage?: string;
  /** The Kubernetes minor of the kind cluster (--kubernetes), where no node image is named. */
  kubernetes?: MinorRelease;
  fixtureImage: string;
  probeImage: string;
  kubeconfig?: string;
  context?: string;
  /** The context the user consents to checking (existing clusters only). */
  allowContext?: string;
  /** Check the cluster this process runs in, with its Pod's ServiceAccount. */
  inCluster: boolean;
  /** The consent to that (--allow-in-cluster, or KAC_ALLOW_IN_CLUSTER=true). */
  allowInCluster: boolean;
  reportDir: string;
  keep: boolean;
  dryRun: boolean;
  /** Suite names (file names under suites/ without .spec.ts); empty means all. */
  suites: string[];
  grep?: string;
  proxyUrl?: string;
  proxyCommand?: string;
  baseline?: string;
  latencyFactor: number;
  /** How many suites run side by side (--workers; default DEFAULT_WORKERS, shared out in a matrix). */
  workers?: number;
}
