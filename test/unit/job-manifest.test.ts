import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import type { V1ClusterRole, V1ClusterRoleBinding, V1Job } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { jobManifest } from "../../harness/providers/in-cluster/job-manifest.ts";
import { HARNESS_CLUSTER_ROLE_RULES } from "../../harness/providers/in-cluster/required-access.ts";

const LABEL = "app.kubernetes.io/name";

/** The manifest parsed back, as `kubectl apply -f` would read it. */
function parse(yaml: string): Record<string, unknown>[] {
  const documents = parseAllDocuments(yaml);
  assert.ok(Array.isArray(documents), "multi-document YAML");
  for (const document of documents) assert.deepEqual(document.errors, []);
  return documents.map((document) => document.toJS() as Record<string, unknown>);
}

const byKind = <T>(objects: Record<string, unknown>[], kind: string): T => objects.find((o) => o.kind === kind) as T;

test("job-manifest: a Namespace, a ServiceAccount, the harness's ClusterRole bound to it, and the Job, all labelled", () => {
  const objects = parse(jobManifest({ image: "kac.local/harness:0.1.0", namespace: "kac-job" }));
  assert.deepEqual(objects.map((o) => o.kind), ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Job"]);
  for (const object of objects) {
    const metadata = object.metadata as { name: string; namespace?: string; labels: Record<string, string> };
    assert.equal(metadata.labels[LABEL], "kube-access-conformance", `${object.kind} ${metadata.name} is labelled`);
    if (["ServiceAccount", "Job"].includes(object.kind as string)) assert.equal(metadata.namespace, "kac-job", `${object.kind} in the namespace`);
    else assert.equal(metadata.namespace, undefined, `${object.kind} is cluster-scoped`);
  }
  const job = byKind<V1Job>(objects, "Job");
  assert.equal(job.spec!.template.metadata!.labels![LABEL], "kube-access-conformance", "the Pods are labelled too");
});

test("job-manifest: the ClusterRole holds exactly the rules the in-cluster provider verifies, bound to the Job's ServiceAccount", () => {
  const objects = parse(jobManifest({ image: "kac.local/harness:0.1.0", namespace: "kac-job" }));
  const role = byKind<V1ClusterRole>(objects, "ClusterRole");
  assert.deepEqual(role.rules, JSON.parse(JSON.stringify(HARNESS_CLUSTER_ROLE_RULES)));
  const binding = byKind<V1ClusterRoleBinding>(objects, "ClusterRoleBinding");
  assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata!.name });
  const job = byKind<V1Job>(objects, "Job");
  assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: job.spec!.template.spec!.serviceAccountName, namespace: "kac-job" }]);
  assert.equal(byKind<{ metadata: { name: string } }>(objects, "ServiceAccount").metadata.name, job.spec!.template.spec!.serviceAccountName);
});

test("job-manifest: the Job runs `run --in-cluster` once, with the consent in its environment and the caller's arguments intact", () => {
  const args = ["--suite", "token", "--grep", `^(TK-0[1-3]|IC-"1") it's`, "--probe-image", "registry.example/probe:v1"];
  const objects = parse(jobManifest({ image: "registry.example/harness:0.1.0", namespace: "kac-job", args, imagePullPolicy: "Always" }));
  const job = byKind<V1Job>(objects, "Job");
  assert.equal(job.spec!.backoffLimit, 0, "a run is not retried");
  const pod = job.spec!.template.spec!;
  assert.equal(pod.restartPolicy, "Never");
  const harness = pod.containers.find((c) => c.name === "harness")!;
  assert.equal(harness.image, "registry.example/harness:0.1.0");
  assert.equal(harness.imagePullPolicy, "Always");
  assert.deepEqual(harness.args, ["run", "--in-cluster", "--report-dir", "/reports", ...args]);
  // The shell in front passes every argument on as one word ("$@"), and the CLI is what it runs ($0).
  assert.deepEqual(harness.command!.slice(0, 2), ["sh", "-c"]);
  assert.match(harness.command![2]!, /"\$0" "\$@"/);
  assert.equal(harness.command![3], "kube-access-conformance");
  assert.deepEqual(harness.env, [{ name: "KAC_ALLOW_IN_CLUSTER", value: "true" }], "the consent, as a string");
  assert.ok(harness.volumeMounts!.some((m) => m.mountPath === "/reports" && pod.volumes!.some((v) => v.name === m.name && v.emptyDir)), "the report directory is a volume");
});

test("job-manifest: the report container shares the report volume and holds the Pod for the given time; 0 leaves it out", () => {
  const pod = (options: { reportHoldSeconds?: number }) => byKind<V1Job>(parse(jobManifest({ image: "h:1", namespace: "ns", ...options })), "Job").spec!.template.spec!;
  const held = pod({ reportHoldSeconds: 120 });
  assert.deepEqual(held.containers.map((c) => c.name), ["harness", "report"]);
  const report = held.containers[1]!;
  assert.equal(report.image, "h:1");
  const volume = held.containers[0]!.volumeMounts!.find((m) => m.mountPath === "/reports")!.name;
  assert.ok(report.volumeMounts!.some((m) => m.name === volume && m.mountPath === "/reports"));
  assert.match(report.command![2]!, /-lt 120 \]/);
  assert.match(report.command![2]!, /kubectl cp -n ns -c report \$HOSTNAME:\/reports/);
  assert.deepEqual(pod({}).containers.map((c) => c.name), ["harness", "report"], "held by default");
  assert.deepEqual(pod({ reportHoldSeconds: 0 }).containers.map((c) => c.name), ["harness"]);
});

test("job-manifest: the containers' shell scripts parse", () => {
  const containers = byKind<V1Job>(parse(jobManifest({ image: "h:1", namespace: "ns" })), "Job").spec!.template.spec!.containers;
  for (const container of containers) {
    const result = spawnSync("sh", ["-n", "-c", container.command![2]!], { encoding: "utf8" });
    assert.equal(result.status, 0, `${container.name}: ${result.stderr}`);
  }
});

test("job-manifest: the Pod meets Pod Security `restricted`", () => {
  const pod = byKind<V1Job>(parse(jobManifest({ image: "h:1", namespace: "ns" })), "Job").spec!.template.spec!;
  assert.equal(pod.securityContext!.runAsNonRoot, true);
  assert.equal(pod.securityContext!.seccompProfile!.type, "RuntimeDefault");
  for (const container of pod.containers) {
    assert.equal(container.securityContext!.allowPrivilegeEscalation, false, container.name);
    assert.deepEqual(container.securityContext!.capabilities!.drop, ["ALL"], container.name);
  }
  for (const volume of pod.volumes!) assert.ok(volume.emptyDir, `${volume.name}: no hostPath`);
});

test("job-manifest: another name and namespace give their own ServiceAccount and binding", () => {
  const objects = parse(jobManifest({ image: "h:1", namespace: "team-a", name: "kac-nightly" }));
  const names = objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
  assert.deepEqual(names, ["Namespace/team-a", "ServiceAccount/kac-nightly", "ClusterRole/kac-nightly", "ClusterRoleBinding/kac-nightly-team-a", "Job/kac-nightly"]);
});
