/**
 * The label on everything a run creates, in Docker (containers, networks) and in the cluster
 * (namespaces, cluster-scoped RBAC): cleanup and people find a run's objects by it.
 */
export const RUN_LABEL = "io.kac.run";

/** On each kind node container: its node name, and its role (control-plane or worker). */
export const NODE_LABEL = "io.kac.node";
export const ROLE_LABEL = "io.kac.role";

/** On a kind run's node containers: its private work directory (the kubeconfig), which `down` removes with a kept cluster. */
export const WORK_DIR_LABEL = "io.kac.work-dir";

/** Label values are limited to 63 characters of [A-Za-z0-9_.-]. */
export function labelValue(runId: string): string {
  return runId.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 63);
}
