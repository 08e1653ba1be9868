import { join } from "node:path";
import { DEFAULT_FIXTURE_IMAGE, DEFAULT_PROBE_IMAGE } from "../../ground/suite-images.ts";
import { KindCluster, type StartedKindCluster } from "../../kind/cluster.ts";
import { loadClusterConfig } from "../../kind/cluster-config.ts";
import { copyNodeKubectl } from "../../kind/node-kubectl.ts";
import type { Progress } from "../../log/progress.ts";
import { DEFAULT_KIND_CONFIG } from "../../paths.ts";

/** A kind cluster ready to be checked as an existing cluster: the suites' images loaded, its kubectl at hand. */
export interface PreparedCluster {
  cluster: KindCluster;
  started: StartedKindCluster;
  /** The node image's kubectl, for KAC_KUBECTL. */
  kubectl: string;
  /** CLI arguments that check this cluster as an existing one. */
  targetArgs: string[];
}

/**
 * Starts the default cluster (kind-config.yaml) for tools that run the CLI against it many times: the
 * benchmark, the flakiness script, the self-tests. The caller owns the teardown (`cluster.teardown()`),
 * and registers it before calling, through `onCluster`, so an interrupt cannot leak it.
 */
export async function prepareCluster(workDir: string, progress: Progress, onCluster: (cluster: KindCluster) => void): Promise<PreparedCluster> {
  const cluster = new KindCluster({ config: loadClusterConfig(DEFAULT_KIND_CONFIG), nodeImage: process.env.KAC_NODE_IMAGE, images: [DEFAULT_FIXTURE_IMAGE, DEFAULT_PROBE_IMAGE], workDir, progress });
  onCluster(cluster);
  const started = await cluster.start();
  const kubectl = await copyNodeKubectl(started, join(workDir, "bin"));
  return { cluster, started, kubectl, targetArgs: ["--kubeconfig", started.kubeconfigPath, "--allow-context", started.contextName] };
}
