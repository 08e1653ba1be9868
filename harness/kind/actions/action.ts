import type { StartedNetwork } from "testcontainers";
import type { Progress } from "../../log/progress.ts";
import type { ClusterConfig } from "../cluster-config.ts";
import type { DockerHost } from "../docker-host.ts";
import type { KubernetesVersion } from "../kubernetes-version.ts";
import type { StartedKindNode } from "../node-container.ts";

/**
 * One step of bringing a cluster up, in the manner of kind's create actions: each does one thing to the
 * shared context and the cluster runs them in order, timing each.
 */
export interface Action {
  name: string;
  run(context: ClusterContext): Promise<void>;
}

/** What the actions share. Fields fill in as the pipeline advances; each action states what it needs. */
export interface ClusterContext {
  config: ClusterConfig;
  runId: string;
  /** Labels on everything the run creates in Docker, so cleanup can find it all by label. */
  labels: Record<string, string>;
  host: DockerHost;
  nodeImage: string;
  progress: Progress;
  /** kubeadm's bootstrap token, fresh per run. */
  token: string;
  /** The run's work directory (removed with the cluster); the kubeconfig and saved images go there. */
  workDir: string;
  /** Where the exported kubeconfig is written. */
  kubeconfigPath: string;
  /** The API server URL in the exported kubeconfig. */
  apiServerUrl?: string;
  network?: StartedNetwork;
  nodes: StartedKindNode[];
  version?: KubernetesVersion;
  /**
   * Each node's pod subnet by node name, where the harness assigns them (writeCniConfig) in place of
   * the controller manager's node IPAM; undefined where the controller manager does.
   */
  podSubnets?: Map<string, string>;
  /** Local images the run's Pods use, loaded into the nodes beside the start (loadImages). */
  preload: string[];
  /**
   * Work the start runs beside its other steps (images, CNI agents, DNS, storage, MetalLB); its last step
   * waits for all of it, so that a started cluster changes no more on its own. Each says how its
   * failure counts: a rejection fails the start.
   */
  background: Promise<void>[];
  /** MetalLB's images, on their way into the nodes since they booted (loadLoadBalancerImages). */
  loadBalancerImages?: Promise<ChosenImage[]>;
}

/** An image a component of the cluster runs: local (loaded into the nodes) or pulled by them. */
export interface ChosenImage {
  image: string;
  local: boolean;
}

/** Adds work to `background`; until the last step awaits it, its failure must not count as unhandled. */
export function inBackground(context: ClusterContext, work: Promise<void>): void {
  work.catch(() => undefined);
  context.background.push(work);
}

export function controlPlane(context: ClusterContext): StartedKindNode {
  const node = context.nodes.find((n) => n.role === "control-plane");
  if (!node) throw new Error("the control-plane node has not been started");
  return node;
}

export function workers(context: ClusterContext): StartedKindNode[] {
  return context.nodes.filter((n) => n.role === "worker");
}
