import type { V1ClusterRole, V1ClusterRoleBinding, V1Container, V1Job, V1Namespace, V1SecurityContext, V1ServiceAccount } from "@kubernetes/client-node";
import { Document } from "yaml";
import { HARNESS_CLUSTER_ROLE_RULES } from "./required-access.ts";

/** The label every object of the manifest carries: `kubectl delete -l` finds them all. */
export const JOB_MANIFEST_LABELS = { "app.kubernetes.io/name": "kube-access-conformance" } as const;
/** The default name of the Job, its ServiceAccount and its ClusterRole. */
export const DEFAULT_JOB_NAME = "kube-access-conformance";
/** Where the harness writes its reports in the Pod (`run --report-dir`). */
export const JOB_REPORT_DIR = "/reports";
/** The harness's container, and the container that holds the finished Pod for `kubectl cp`. */
export const HARNESS_CONTAINER = "harness";
export const REPORT_CONTAINER = "report";
/** Written by the harness container when the run is over: its exit code. */
export const EXIT_CODE_FILE = `${JOB_REPORT_DIR}/.exit-code`;
/** Created by whoever copied the report (`kubectl exec … -c report -- touch …`): the Pod may end. */
export const COLLECTED_FILE = `${JOB_REPORT_DIR}/.collected`;
/** The user the harness image runs as (images/harness/build.sh). */
const HARNESS_UID = 10001;

export interface JobManifestOptions {
  /** The harness image (kac.local/harness:VERSION, or that image pushed where the cluster pulls from). */
  image: string;
  /** The namespace the manifest creates for the Job and its ServiceAccount. */
  namespace: string;
  /** More arguments for `run --in-cluster`, e.g. ["--suite", "token", "--probe-image", "registry/probe:v1"]. */
  args?: string[];
  /** Name of the Job, the ServiceAccount and the ClusterRole; the ClusterRoleBinding is NAME-NAMESPACE. */
  name?: string;
  imagePullPolicy?: "IfNotPresent" | "Always" | "Never";
  /**
   * How long, in seconds after the harness has finished, the `report` container keeps the Pod running so
   * the report can be copied out (default 900); 0 leaves that container out, and the report with it:
   * only the Pod's log remains.
   *
   * Why a second container: a finished Pod's files cannot be read through the API, and a report written
   * to a hostPath would work only where Pod Security allows hostPath (not under `baseline`) and would
   * have to be fetched from whichever node ran the Pod. An emptyDir shared with a container that waits
   * works on any cluster with the rights `kubectl cp` needs: copy the report with
   * `kubectl cp -n NAMESPACE -c report POD:/reports DIR`, then end the wait with
   * `kubectl exec -n NAMESPACE POD -c report -- touch /reports/.collected`; the container prints both
   * commands when the report is ready. Either way the Pod, and so the Job, ends: it succeeds when the
   * harness exited 0 (its exit code is in /reports/.exit-code too), and fails otherwise (backoffLimit 0:
   * a run is not retried).
   */
  reportHoldSeconds?: number;
  /** Bound on the whole Job, report hold included (activeDeadlineSeconds; default 3600). */
  deadlineSeconds?: number;
}

/**
 * The manifest that runs the harness as a Job in the cluster it checks (`kubectl apply -f`): a
 * Namespace, a ServiceAccount, a ClusterRole of exactly the rights the suites need
 * (HARNESS_CLUSTER_ROLE_RULES, which the in-cluster provider verifies before any suite starts) bound to
 * it, and the Job running `kube-access-conformance run --in-cluster --report-dir /reports ARGS` with
 * the consent (KAC_ALLOW_IN_CLUSTER=true) in its environment, as no flag can be typed into a Job. The
 * Pod satisfies Pod Security `restricted`. Multi-document YAML.
 */
export function jobManifest(options: JobManifestOptions): string {
  const name = options.name ?? DEFAULT_JOB_NAME;
  const { namespace } = options;
  const holdSeconds = options.reportHoldSeconds ?? 900;
  const metadata = (objectName: string, inNamespace = true) => ({ name: objectName, ...(inNamespace ? { namespace } : {}), labels: { ...JOB_MANIFEST_LABELS } });

  const namespaceObject: V1Namespace = { apiVersion: "v1", kind: "Namespace", metadata: metadata(namespace, false) };
  const serviceAccount: V1ServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: metadata(name) };
  const clusterRole: V1ClusterRole = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: metadata(name, false), rules: HARNESS_CLUSTER_ROLE_RULES };
  const clusterRoleBinding: V1ClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    // Per namespace: a second Job in another namespace binds its own ServiceAccount, not this one's.
    metadata: metadata(`${name}-${namespace}`, false),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
    subjects: [{ kind: "ServiceAccount", name, namespace }],
  };

  const securityContext: V1SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
  const reportMount = { name: "reports", mountPath: JOB_REPORT_DIR };
  const harness: V1Container = {
    name: HARNESS_CONTAINER,
    image: options.image,
    imagePullPolicy: options.imagePullPolicy ?? "IfNotPresent",
    // A shell in front of the entrypoint: it records the exit code for the report container, and passes
    // SIGTERM on (a Job deleted mid-run) so the harness removes its namespaces before the Pod goes.
    command: ["sh", "-c", HARNESS_SCRIPT, "kube-access-conformance"],
    args: ["run", "--in-cluster", "--report-dir", JOB_REPORT_DIR, ...(options.args ?? [])],
    env: [{ name: "KAC_ALLOW_IN_CLUSTER", value: "true" }],
    // A whole run's process tree peaks at about 2.6 GB (README, Benchmark); no limit, so it is not killed.
    resources: { requests: { cpu: "500m", memory: "1Gi" } },
    securityContext,
    // Chromium keeps its shared memory in /dev/shm, which is 64 MiB in a container.
    volumeMounts: [reportMount, { name: "dev-shm", mountPath: "/dev/shm" }],
  };
  const reportContainer: V1Container = {
    name: REPORT_CONTAINER,
    image: options.image,
    imagePullPolicy: options.imagePullPolicy ?? "IfNotPresent",
    command: ["sh", "-c", reportScript(namespace, holdSeconds)],
    resources: { requests: { cpu: "10m", memory: "16Mi" } },
    securityContext,
    volumeMounts: [reportMount],
  };
  const job: V1Job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: metadata(name),
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: options.deadlineSeconds ?? 3600,
      template: {
        metadata: { labels: { ...JOB_MANIFEST_LABELS } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: true,
          restartPolicy: "Never",
          // Time for the harness to delete the suites' namespaces when the Pod is stopped.
          terminationGracePeriodSeconds: 120,
          securityContext: { runAsNonRoot: true, runAsUser: HARNESS_UID, runAsGroup: HARNESS_UID, fsGroup: HARNESS_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: holdSeconds > 0 ? [harness, reportContainer] : [harness],
          volumes: [
            { name: "reports", emptyDir: {} },
            { name: "dev-shm", emptyDir: { medium: "Memory", sizeLimit: "512Mi" } },
          ],
        },
      },
    },
  };

  return [namespaceObject, serviceAccount, clusterRole, clusterRoleBinding, job]
    .map((object) => new Document(object, { aliasDuplicateObjects: false }).toString({ directives: true, lineWidth: 0 }))
    .join("");
}

/**
 * The harness container's shell: runs the CLI with the container's arguments ($@), forwards SIGTERM
 * and SIGINT to it and waits for its cleanup, then writes its exit code where the report container
 * sees it, and exits with it.
 */
const HARNESS_SCRIPT = [
  `"$0" "$@" & pid=$!`,
  `trap 'kill -TERM "$pid" 2>/dev/null' TERM INT`,
  `wait "$pid"; code=$?`,
  // A trapped signal ends `wait` early: wait again until the harness itself has exited.
  `while kill -0 "$pid" 2>/dev/null; do wait "$pid"; code=$?; done`,
  `echo "$code" > ${EXIT_CODE_FILE}`,
  `exit "$code"`,
].join("\n");

/** The report container's shell: waits for the harness, says how to copy the report, holds the Pod. */
function reportScript(namespace: string, holdSeconds: number): string {
  return [
    `until [ -e ${EXIT_CODE_FILE} ]; do sleep 2; done`,
    `echo "the harness exited $(cat ${EXIT_CODE_FILE}); the report stays for ${holdSeconds} s:"`,
    `echo "  kubectl cp -n ${namespace} -c ${REPORT_CONTAINER} $HOSTNAME:${JOB_REPORT_DIR} ./reports"`,
    `echo "  kubectl exec -n ${namespace} $HOSTNAME -c ${REPORT_CONTAINER} -- touch ${COLLECTED_FILE}"`,
    `i=0; while [ ! -e ${COLLECTED_FILE} ] && [ "$i" -lt ${holdSeconds} ]; do sleep 1; i=$((i + 1)); done`,
  ].join("\n");
}
