import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { ExitGuard } from "../../harness/cleanup/exit-guard.ts";
import { RUN_LABEL } from "../../harness/ground/labels.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import type { KindCluster, StartedKindCluster } from "../../harness/kind/cluster.ts";
import { loadImage } from "../../harness/kind/load-image.ts";
import { Progress } from "../../harness/log/progress.ts";
import { COLLECTED_FILE, HARNESS_CONTAINER, JOB_REPORT_DIR, REPORT_CONTAINER, jobManifest } from "../../harness/providers/in-cluster/job-manifest.ts";
import { prepareCluster } from "../../harness/providers/kind/prepared-cluster.ts";
import type { Report } from "../../harness/report/model.ts";
import { PROJECT_ROOT } from "../support/cli.ts";

// The harness as a Job in the cluster it checks (`run --in-cluster`), as a user would run it: the
// harness image (images/harness/build.sh) loaded into a kind cluster's nodes, the manifest of
// `job-manifest` applied with the cluster's own kubectl, the report copied out of the finished Pod.
// The whole catalog must be in the report; what cannot be checked from inside a Pod must say so.

const execFileP = promisify(execFile);
const HARNESS_IMAGE = `kac.local/harness:${(JSON.parse(await readFile(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version}`;
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

describe("the harness as a Job inside the cluster it checks", () => {
  const guard = new ExitGuard((line) => process.stderr.write(`${line}\n`));
  let dir: string;
  let cluster: KindCluster | undefined;
  let started: StartedKindCluster;
  let kubectlPath: string;
  const children: ChildProcess[] = [];

  before(async () => {
    // Ctrl-C or SIGTERM: everything is torn down in order. The test runner's parent process exits at
    // once and takes this process's stdout and stderr with it: a write to them then fails (EPIPE), and
    // unhandled, that would end this process mid-teardown. Should it end anyway, Testcontainers' reaper
    // removes the cluster (its containers and network carry the reaper's session label), and the exit
    // handler the rest.
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
    guard.install();
    dir = await mkdtemp(join(tmpdir(), "kac-in-cluster-job-"));
    const workDir = dir;
    process.on("exit", () => {
      for (const child of children) child.kill("SIGKILL");
      rmSync(workDir, { recursive: true, force: true });
    });
    guard.add("work directory", () => rm(workDir, { recursive: true, force: true }));
    guard.add("cluster", async () => cluster?.teardown());
    guard.add("child processes", async () => void children.forEach((child) => child.kill("SIGKILL")));
    // Built now, or found cached by its inputs (a second or so): the image of exactly these sources.
    await buildHarnessImage();
    const progress = new Progress();
    const prepared = await prepareCluster(dir, progress, (c) => (cluster = c));
    ({ started, kubectl: kubectlPath } = prepared);
    await progress.phase(`load ${HARNESS_IMAGE}`, () => loadImage(started, HARNESS_IMAGE));
  });

  after(() => guard.release());

  const kubectl = async (args: string[], input?: string): Promise<string> => {
    const child = execFileP(kubectlPath, ["--kubeconfig", started.kubeconfigPath, ...args], { maxBuffer: 64 << 20 });
    if (input !== undefined) child.child.stdin!.end(input);
    return (await child).stdout;
  };

  test("run --in-cluster as a Job: every catalog ID in the report, nothing failed, what needs the outside says so", async () => {
    const began = Date.now();
    await kubectl(["apply", "-f", "-"], jobManifest({ image: HARNESS_IMAGE, namespace: NAMESPACE, deadlineSeconds: RUN_TIMEOUT_MS / 1000 + 600 }));

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
    // The run's output in this test's log, as it happens.
    const logs = spawn(kubectlPath, ["--kubeconfig", started.kubeconfigPath, "logs", "-f", "-n", NAMESPACE, pod, "-c", HARNESS_CONTAINER], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(logs);
    let output = "";
    for (const stream of [logs.stdout!, logs.stderr!]) {
      stream.on("data", (chunk: Buffer) => {
        output += chunk;
        process.stderr.write(chunk);
      });
    }

    const terminated = await waitFor("the harness container to finish", async () => (await harnessState())?.state?.terminated, { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 5000, lastSeen: () => lastSeen });
    const runSeconds = (Date.now() - began) / 1000;
    process.stderr.write(`in-cluster run: ${runSeconds.toFixed(1)} s from apply to the harness's exit (${terminated.exitCode})\n`);

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
    process.stderr.write(`in-cluster report: ${counts.join(", ")}\n${report.checks.filter((c) => c.result !== "pass").map((c) => `  ${c.id} ${c.result}: ${c.reason}\n`).join("")}`);
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
    assert.equal((await kubectl(["get", "namespaces", "-l", RUN_LABEL, "-o", "name"])).trim(), "", "the run removed the suites' namespaces");
    assert.deepEqual(problems, []);
  });
});

interface PodStatusView {
  metadata: { name: string };
  status: { phase: string; containerStatuses?: { name: string; state?: { running?: object; terminated?: { exitCode: number; reason?: string } } }[] };
}

/** images/harness/build.sh: builds the image, or says "cached" when the sources are those it was built from. */
async function buildHarnessImage(): Promise<void> {
  const build = spawn("bash", [join(PROJECT_ROOT, "images", "harness", "build.sh")], {
    // The build's npm runs under this test's Node.
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const code = await new Promise<number | null>((resolve) => build.on("close", resolve));
  assert.equal(code, 0, "images/harness/build.sh failed (its output is above)");
}
