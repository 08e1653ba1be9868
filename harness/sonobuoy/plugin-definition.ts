import { stringify } from "yaml";
import { HARNESS_CLUSTER_ROLE_RULES } from "../providers/in-cluster/required-access.ts";
import { SONOBUOY_JUNIT_FILE } from "./results.ts";

/** The plugin's name in Sonobuoy: `sonobuoy results` prints it, and its Pod is sonobuoy-NAME-job-SESSION. */
export const SONOBUOY_PLUGIN_NAME = "kube-access-conformance";
/** Sonobuoy's namespace unless `sonobuoy run --namespace` names another. */
export const SONOBUOY_NAMESPACE = "sonobuoy";
/** The ServiceAccount `sonobuoy run` creates and runs the aggregator and every plugin Pod with. */
export const SONOBUOY_SERVICE_ACCOUNT = "sonobuoy-serviceaccount";

export interface SonobuoyPluginOptions {
  /** The harness image: Node, kubectl, Chromium and kube-access-conformance on PATH. */
  image: string;
  /** More arguments for `kube-access-conformance run --in-cluster`, e.g. ["--suite", "kubeconfig"]. */
  args?: string[];
}

/**
 * The Sonobuoy plugin definition (`sonobuoy run --plugin FILE`): a Job plugin whose one container runs
 * `kube-access-conformance run --in-cluster` in the harness image, with the in-cluster consent in its
 * environment (a plugin cannot be given a flag by the user running Sonobuoy). Sonobuoy adds the rest:
 * SONOBUOY_RESULTS_DIR (with the results volume mounted there), SONOBUOY_PROGRESS_PORT, the worker
 * sidecar, and the ServiceAccount `sonobuoy-serviceaccount`. What the harness writes there is in
 * results.ts; `result-files` makes Sonobuoy count only the plugin's JUnit, not the report's own.
 *
 * Access: by default (`--aggregator-permissions clusterAdmin`) that ServiceAccount is bound to a
 * ClusterRole sonobuoy-serviceaccount-NAMESPACE allowing every verb on every resource, and the plugin
 * has it too. sonobuoyPluginAccess() narrows it to what the suites need.
 */
export function sonobuoyPlugin(options: SonobuoyPluginOptions): string {
  const definition = {
    "sonobuoy-config": {
      driver: "Job",
      "plugin-name": SONOBUOY_PLUGIN_NAME,
      "result-format": "junit",
      "result-files": [SONOBUOY_JUNIT_FILE],
      description: "Checks every documented way of reaching the cluster from inside it (kube-access-conformance).",
    },
    spec: {
      name: "plugin",
      image: options.image,
      // A locally built or loaded image must not be pulled; a registry image of a fixed tag need not be.
      imagePullPolicy: "IfNotPresent",
      command: ["kube-access-conformance"],
      args: ["run", "--in-cluster", ...(options.args ?? [])],
      env: [{ name: "KAC_ALLOW_IN_CLUSTER", value: "true" }],
    },
  };
  return stringify(definition, { lineWidth: 0 });
}

/**
 * Narrower access than Sonobuoy's default cluster-admin equivalent, for `kubectl apply -f` before
 *
 *   sonobuoy run --plugin FILE --aggregator-permissions namespaceAdmin --skip-preflight=existingnamespace
 *
 * With namespaceAdmin, `sonobuoy run` grants its ServiceAccount only a Role in its own namespace and
 * does not create that namespace (hence the preflight skip); these objects add the namespace (with the
 * Pod Security level Sonobuoy gives its own, privileged) and a ClusterRole of exactly the harness's
 * rules (HARNESS_CLUSTER_ROLE_RULES) bound to that ServiceAccount. The ClusterRole and its binding carry
 * the labels `sonobuoy delete` selects (component=sonobuoy, namespace=NAMESPACE), so it removes them
 * with the namespace. The aggregator shares the ServiceAccount, so it gets these rules too; without
 * node access of its own it would skip DaemonSet plugins, and this plugin is a Job.
 */
export function sonobuoyPluginAccess(options: { namespace?: string } = {}): string {
  const namespace = options.namespace ?? SONOBUOY_NAMESPACE;
  const name = `kac-sonobuoy-plugin-${namespace}`;
  const labels = { component: "sonobuoy", namespace };
  const documents = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name, labels }, rules: HARNESS_CLUSTER_ROLE_RULES },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name: SONOBUOY_SERVICE_ACCOUNT, namespace }],
    },
  ];
  return documents.map((d) => stringify(d, { lineWidth: 0 })).join("---\n");
}

/** The `sonobuoy run` flags that go with sonobuoyPluginAccess(). */
export const SONOBUOY_NARROW_ACCESS_FLAGS = ["--aggregator-permissions", "namespaceAdmin", "--skip-preflight=existingnamespace"];
