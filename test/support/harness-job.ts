import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { labelValue, RUN_LABEL } from "../../harness/ground/labels.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import type { StartedKindCluster } from "../../harness/kind/cluster.ts";
import { COLLECTED_FILE, HARNESS_CONTAINER, JOB_REPORT_DIR, REPORT_CONTAINER, jobManifest } from "../../harness/providers/in-cluster/job-manifest.ts";
import type { Report } from "../../harness/report/model.ts";
import { DEFAULT_HARNESS_IMAGE } from "../../harness/paths.ts";
import { clusterKubectl } from "./cluster-kubectl.ts";
import { loadHarnessImage } from "./harness-image.ts";

// The harness as a Job in the cluster it checks (`run --in-cluster`), as a user would run it: the
// harness image (images/harness/build.sh) loaded into a kind cluster's nodes, the manifest of
// `job-manifest` applied with the cluster's own kubectl, the report copied out of the finished Pod.
// The whole catalog must be in the report; what cannot be checked from inside a Pod must say so.

const NAMESPACE = "kac-job";
const JOB = "kube-access-conformance";
/** A whole run on a busy two-core machine, with room to spare; the Job's own deadline is above it. */
const RUN_TIMEOUT_MS = 40 * 60_000;

/** Checks that may fail inside a Pod, each with the reason; none so far. */
const EXPECTED_FAILURES: Record<string, string> = {};
/**
 * Checks that are `n/a` or `skip` in this run, each with a reason matching the pattern: what cannot be
 * checked from inside the cluster, what needs a toolchain the harness image does not carry, and what
 * this cluster or the Job's least-privilege ServiceAccount does not offer.
 */
const NOT_CHECKED: Record<string, RegExp> = {
  // A NodePort reached from outside the cluster (on kind, through the port published on the host).
  "SP-21": /outside|host|published|node ?port/i,
  // The image has Node (CL-JS runs) but no Go, Python or JDK; dotnet and Haskell are nowhere.
  "CL-GO": /\bgo\b/i,
  "CL-PY": /python/i,
  "CL-JAVA": /java|jdk|maven|mvn/i,
  "CL-PROXY": /\bgo\b|python/i,
  "CL-DOTNET": /dotnet/i,
  "CL-HASKELL": /haskell|ghc/i,
  // The removed redirect verb is seen only with GET on every core resource (cluster-admin), which the
  // ClusterRole does not grant: RBAC refuses the path before routing could answer 404.
  "SP-20": /redirect/,
};
/** Checks that pass, or are `n/a` with a reason matching the pattern, depending on the cluster rather than on where the harness runs. */
const PASS_OR_NOT_APPLICABLE: Record<string, RegExp> = {
  // A LoadBalancer Service answers where a load-balancer controller runs (MetalLB on the kind cluster).
  "SP-22": /load-balancer controller/,
};


/**
 * Runs the harness as a Job in the cluster and asserts on its report. `dir` is the caller's work
 * directory; `log` receives the run's output as it happens.
 */
export async function runHarnessJob({ dir, started, kubectl: kubectlPath, log }: { dir: string; started: StartedKindCluster; kubectl: string; log: (text: string) => void }): Promise<void> {
  await loadHarnessImage(started);
  const kubectl = clusterKubectl(kubectlPath, started.kubeconfigPath);

  const began = Date.now();
  await kubectl(["apply", "-f", "-"], jobManifest({ image: DEFAULT_HARNESS_IMAGE, namespace: NAMESPACE, deadlineSeconds: RUN_TIMEOUT_MS / 1000 + 600 }));

  let lastSeen = "no Pod yet";
  const harnessState = async () => {
    const pods = JSON.parse(await kubectl(["get", "pods", "-n", NAMESPACE, "-l", `batch.kubernetes.io/job-name=${JOB}`, "-o", "json"])) as { items: PodStatusView[] };
    const pod = pods.items[0];
    if (!pod) return undefined;
    const harness = pod.status.containerStatuses?.find((c) => c.name === HARNESS_CONTAINER);
    lastSeen = `Pod ${pod.metadata.name} ${pod.status.phase}, harness ${JSON.stringify(harness?.state ?? {})}`;
    return { name: pod.metadata.name, state: harness?.state };
  };
  const pod = await waitFor("the harness container to start", async () => {
    const seen = await harnessState();
    return seen?.state?.running || seen?.state?.terminated ? seen.name : undefined;
  }, { timeoutMs: 5 * 60_000, intervalMs: 2000, lastSeen: () => lastSeen });
  // The run's output, for the assertions' messages: other runs share the terminal meanwhile.
  const logs = spawn(kubectlPath, ["--kubeconfig", started.kubeconfigPath, "logs", "-f", "-n", NAMESPACE, pod, "-c", HARNESS_CONTAINER], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  for (const stream of [logs.stdout!, logs.stderr!]) stream.on("data", (chunk: Buffer) => (output += chunk));
  const terminated = await waitFor("the harness container to finish", async () => (await harnessState())?.state?.terminated, { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 5000, lastSeen: () => `${lastSeen}\n${output}` })
    .catch((error: unknown) => {
      logs.kill();
      throw error;
    });
  const runSeconds = (Date.now() - began) / 1000;
  log(`in-cluster run: ${runSeconds.toFixed(1)} s from apply to the harness's exit (${terminated.exitCode})\n`);

  // Out of the report container, which holds the Pod until told the report is collected.
  const copied = join(dir, "copied");
  await kubectl(["cp", "-n", NAMESPACE, "-c", REPORT_CONTAINER, `${pod}:${JOB_REPORT_DIR}`, copied]);
  await kubectl(["exec", "-n", NAMESPACE, pod, "-c", REPORT_CONTAINER, "--", "touch", COLLECTED_FILE]);
  const jobCondition = await waitFor("the Job to end", async () => {
    const job = JSON.parse(await kubectl(["get", "job", "-n", NAMESPACE, JOB, "-o", "json"])) as { status: { conditions?: { type: string; status: string }[] } };
    return job.status.conditions?.find((c) => ["Complete", "Failed"].includes(c.type) && c.status === "True")?.type;
  }, { timeoutMs: 2 * 60_000, intervalMs: 2000 });

  assert.equal(Number((await readFile(join(copied, ".exit-code"), "utf8")).trim()), terminated.exitCode, "the exit code the report container saw");
  const runs = [];
  for (const entry of await readdir(copied)) {
    if (await stat(join(copied, entry, "report.json")).catch(() => undefined)) runs.push(entry);
  }
  assert.equal(runs.length, 1, `one run's report in ${JOB_REPORT_DIR}: ${runs.join(", ")}\n${output}`);
  const report = JSON.parse(await readFile(join(copied, runs[0]!, "report.json"), "utf8")) as Report;

  const counts = Object.entries(Object.groupBy(report.checks, (c) => c.result)).map(([result, checks]) => `${checks!.length} ${result}`);
  log(`in-cluster report: ${counts.join(", ")}\n${report.checks.filter((c) => c.result !== "pass").map((c) => `  ${c.id} ${c.result}: ${c.reason}\n`).join("")}`);
  assert.equal(report.target.kind, "in-cluster");
  assert.deepEqual(report.checks.map((c) => c.id), CATALOG.map((e) => e.id), "every catalog ID, in order");
  // Every departure at once, so that one run shows them all.
  const problems: string[] = [];
  for (const check of report.checks) {
    const notChecked = NOT_CHECKED[check.id];
    if (notChecked) {
      if (check.result !== "n/a" && check.result !== "skip") problems.push(`${check.id} cannot be checked in this Job, yet is ${check.result}`);
      else if (!notChecked.test(check.reason ?? "")) problems.push(`${check.id} ${check.result} does not say why (${notChecked}): ${check.reason}`);
    } else if (check.id in PASS_OR_NOT_APPLICABLE) {
      if (check.result !== "pass" && !(check.result === "n/a" && PASS_OR_NOT_APPLICABLE[check.id]!.test(check.reason ?? ""))) problems.push(`${check.id} is ${check.result}: ${check.reason}`);
    } else if (check.result === "fail" && !(check.id in EXPECTED_FAILURES)) {
      problems.push(`${check.id} failed: ${check.reason}`);
    } else if (check.result === "n/a" || check.result === "skip") {
      problems.push(`${check.id} is ${check.result} in this Job: ${check.reason}`);
    }
    if (check.result !== "pass" && !check.reason) problems.push(`${check.id} (${check.result}) states no reason`);
  }
  const anyFailed = report.checks.some((c) => c.result === "fail");
  assert.equal(terminated.exitCode, anyFailed ? 1 : 0, "the harness's exit code follows the report");
  assert.equal(jobCondition, terminated.exitCode === 0 ? "Complete" : "Failed", "the Job's outcome is the harness's");
  assert.equal((await kubectl(["get", "namespaces", "-l", `${RUN_LABEL}=${labelValue(report.runId)}`, "-o", "name"])).trim(), "", "the run removed the suites' namespaces");
  assert.deepEqual(problems, []);
}

interface PodStatusView {
  metadata: { name: string };
  status: { phase: string; containerStatuses?: { name: string; state?: { running?: object; terminated?: { exitCode: number; reason?: string } } }[] };
}
