/** Which provider gave the cluster a run checks (harness/providers/). */
export type TargetKind = "kind" | "existing" | "in-cluster";

/** The cluster a run checks, as the report describes it. */
export interface TargetDescription {
  kind: TargetKind;
  server: string;
  context: string;
  serverVersion: string;
  nodeImage?: string;
  /** Time from the first node container to every node Ready, for kind targets. */
  clusterStartMs?: number;
}

/** A node port published on the host (kind's extraPortMappings). */
export interface PublishedPort {
  node: string;
  containerPort: number;
  protocol: string;
  hostAddress: string;
  hostPort: number;
}
