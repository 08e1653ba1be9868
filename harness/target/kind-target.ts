import { join } from "node:path";
import { KindCluster, type StartedKindCluster } from "../kind/cluster.ts";
import { loadClusterConfig, type ClusterConfig } from "../kind/cluster-config.ts";
import { loadImage } from "../kind/load-image.ts";
import { copyNodeKubectl } from "../kind/node-kubectl.ts";
import type { Progress } from "../log/progress.ts";
import type { PublishedPort } from "../ground/target.ts";
import type { Target } from "./target.ts";

export interface KindTargetOptions {
  kindConfigPath: string;
  nodeImage?: string;
  /** Images the suites deploy, loaded into every node (kind's `load docker-image`). */
  images: string[];
  /** Private directory for the kubeconfig and the node's kubectl. */
  workDir: string;
  progress: Progress;
  /** Called with the cluster before it starts, so the caller can register its teardown first. */
  onCluster: (cluster: KindCluster) => void;
}

/** Starts a kind cluster from kind-config.yaml and describes it as a target. */
export async function startKindTarget(options: KindTargetOptions): Promise<{ target: Target; cluster: StartedKindCluster; kubectl: string }> {
  const config = loadClusterConfig(options.kindConfigPath);
  const cluster = new KindCluster({ config, nodeImage: options.nodeImage, workDir: options.workDir, progress: options.progress });
  options.onCluster(cluster);
  const started = await cluster.start();
  for (const image of options.images) {
    await options.progress.phase(`load ${image}`, () => loadImage(started, image));
  }
  const kubectl = await copyNodeKubectl(started, join(options.workDir, "bin"));
  const target: Target = {
    kind: "kind",
    kubeconfigPath: started.kubeconfigPath,
    contextName: started.contextName,
    server: started.apiServerUrl,
    serverVersion: started.version.text,
    nodeImage: started.nodeImage,
    publishedPorts: publishedPorts(config, started),
  };
  return { target, cluster: started, kubectl };
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
