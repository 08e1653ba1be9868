/**
 * The label on everything a run creates, in Docker (containers, networks) and in the cluster
 * (namespaces, cluster-scoped RBAC): cleanup and people find a run's objects by it.
 */
export const RUN_LABEL = "io.kac.run";

/** Label values are limited to 63 characters of [A-Za-z0-9_.-]. */
export function labelValue(runId: string): string {
  return runId.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 63);
}
