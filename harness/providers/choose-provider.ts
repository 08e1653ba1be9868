import type { MinorRelease } from "../kind/kubernetes-versions.ts";
import { ExistingProvider } from "./existing/existing-provider.ts";
import { InClusterProvider } from "./in-cluster/in-cluster-provider.ts";
import { KindProvider } from "./kind/kind-provider.ts";
import type { ClusterProvider } from "./provider.ts";

/** What the CLI (or the API) says about where the cluster comes from. */
export interface ProviderChoice {
  kindConfig: string;
  nodeImage?: string;
  kubernetes?: MinorRelease;
  /** The images the suites deploy, loaded into kind nodes (none for `down`). */
  images?: string[];
  keep: boolean;
  kubeconfig?: string;
  context?: string;
  allowContext?: string;
  inCluster: boolean;
  allowInCluster: boolean;
}

/** --in-cluster: the cluster the harness runs in; --kubeconfig: an existing cluster; else a kind cluster it starts. */
export function chooseProvider(choice: ProviderChoice): ClusterProvider {
  if (choice.inCluster) return new InClusterProvider({ allow: choice.allowInCluster });
  if (choice.kubeconfig) return new ExistingProvider({ kubeconfig: choice.kubeconfig, context: choice.context, allowContext: choice.allowContext });
  return new KindProvider({ kindConfigPath: choice.kindConfig, nodeImage: choice.nodeImage, kubernetes: choice.kubernetes, images: choice.images ?? [], keep: choice.keep });
}
