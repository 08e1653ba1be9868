import type { PublishedPort } from "../ground/target.ts";

/** The cluster a run checks: one the harness started (kind) or one the user pointed at. */
export interface Target {
  kind: "kind" | "existing";
  kubeconfigPath: string;
  contextName: string;
  /** The API server URL of that context, as the kubeconfig states it. */
  server: string;
  /** Server version as the API reports it (e.g. v1.36.1). */
  serverVersion: string;
  /** The kind node image, for kind targets. */
  nodeImage?: string;
  /** Node ports published on the host (kind's extraPortMappings). */
  publishedPorts: PublishedPort[];
}
