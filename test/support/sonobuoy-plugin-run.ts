import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { labelValue, RUN_LABEL } from "../../harness/ground/labels.ts";
import type { StartedKindCluster } from "../../harness/kind/cluster.ts";
import { loadImage } from "../../harness/kind/load-image.ts";
import type { Report } from "../../harness/report/model.ts";
import { SONOBUOY_NAMESPACE, SONOBUOY_NARROW_ACCESS_FLAGS, SONOBUOY_PLUGIN_NAME, sonobuoyPlugin, sonobuoyPluginAccess } from "../../harness/sonobuoy/plugin-definition.ts";
import { sonobuoyCounts } from "../../harness/sonobuoy/results.ts";
import { PROJECT_ROOT } from "./cli.ts";
import { DEFAULT_HARNESS_IMAGE } from "../../harness/paths.ts";
import { clusterKubectl } from "./cluster-kubectl.ts";
import { loadHarnessImage } from "./harness-image.ts";

// The harness as a Sonobuoy plugin, as a Sonobuoy user runs it: `sonobuoy run --plugin` with the plugin
// definition the harness prints, on a kind cluster, with the access narrowed to the harness's own
// ClusterRole; then `sonobuoy retrieve` and `sonobuoy results`, whose counts must be exactly the
// report's under the plugin's JUnit mapping (fail failed; skip and n/a skipped; pass and warn passed);
// then `sonobuoy delete`, after which nothing of Sonobuoy's or the run's is left in the cluster.
// Offline, Sonobuoy's aggregator image is built from the local sonobuoy binary
// (test/sonobuoy/build-aggregator-image.sh) and the harness image by images/harness/build.sh.

const exec = promisify(execFile);

/** The sonobuoy CLI: KAC_SONOBUOY, else `sonobuoy` on PATH, else the project machines' shared copy. */
function findSonobuoy(): string | undefined {
  const candidates = [
    process.env.KAC_SONOBUOY,
    ...(process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "sonobuoy")),
    join(PROJECT_ROOT, "..", "shared", "tools", "sonobuoy", "sonobuoy"),
  ];
  return candidates.find((path) => {
    if (!path) return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The sonobuoy CLI, or undefined: the plugin test is skipped without it. */
export const SONOBUOY = findSonobuoy();
const AGGREGATOR_IMAGE_BUILD = join(PROJECT_ROOT, "test", "sonobuoy", "build-aggregator-image.sh");
/**
 * How long the plugin (every suite, inside the cluster: about 2 minutes) may take: Sonobuoy's aggregator
 * gives up then (its default is 6 hours), and `sonobuoy run --wait` a little later.
 */
const PLUGIN_TIMEOUT_MINUTES = 30;

/** `sonobuoy results`' summary of one plugin: "Status: failed", "Total: 94", "Passed: 80", ... */
function parseSummary(text: string): { status: string; total: number; passed: number; failed: number; skipped: number } {
  const field = (name: string) => {
    const match = text.match(new RegExp(`^${name}: (.*)$`, "m"));
    assert.ok(match, `no "${name}:" in sonobuoy results:\n${text}`);
    return match[1]!.trim();
  };
  return { status: field("Status"), total: Number(field("Total")), passed: Number(field("Passed")), failed: Number(field("Failed")), skipped: Number(field("Skipped")) };
}

/**
 * Runs the harness as a Sonobuoy plugin on the cluster and asserts on what Sonobuoy reports. `dir` is
 * the caller's work directory; `log` receives the figures and Sonobuoy's results.
 */
export async function runSonobuoyPlugin({ dir, started, kubectl, log }: { dir: string; started: StartedKindCluster; kubectl: string; log: (text: string) => void }): Promise<void> {
  const sonobuoy = SONOBUOY!;
  const kubeconfig = started.kubeconfigPath;
  const sb = (args: string[], timeoutMs = 120_000) => exec(sonobuoy, [...args, "--kubeconfig", kubeconfig], { maxBuffer: 64 << 20, timeout: timeoutMs });
  // Cached by its inputs: seconds when nothing changed.
  const aggregatorImage = (await exec("bash", [AGGREGATOR_IMAGE_BUILD], { env: { ...process.env, KAC_SONOBUOY: sonobuoy } })).stdout.trim().split("\n").at(-1)!;
  await Promise.all([loadImage(started, aggregatorImage), loadHarnessImage(started)]);
  let deleted = false;
  try {
    const pluginFile = join(dir, "kube-access-conformance.yaml");
    const accessFile = join(dir, "access.yaml");
    // Three suites, not all: the counts' agreement does not depend on how many checks ran, and the
    // whole catalog inside the cluster is the Job test's (harness-job.ts); this keeps CI short.
    await writeFile(pluginFile, sonobuoyPlugin({ image: DEFAULT_HARNESS_IMAGE, args: ["--suite", "kubeconfig", "--suite", "token", "--suite", "kubectl-proxy"] }));
    await writeFile(accessFile, sonobuoyPluginAccess());
    await clusterKubectl(kubectl, kubeconfig)(["apply", "-f", accessFile]);

    // --plugin alone: no e2e or systemd-logs plugin. IfNotPresent: nothing is pulled (the plugin's own
    // imagePullPolicy is in its definition). The access: only the harness's ClusterRole, no cluster-admin.
    const began = Date.now();
    const run = await sb(["run", "--plugin", pluginFile, "--sonobuoy-image", aggregatorImage, "--image-pull-policy", "IfNotPresent",
      ...SONOBUOY_NARROW_ACCESS_FLAGS, `--timeout=${PLUGIN_TIMEOUT_MINUTES * 60}`, `--wait=${PLUGIN_TIMEOUT_MINUTES + 5}`, "--wait-output=silent"], (PLUGIN_TIMEOUT_MINUTES + 6) * 60_000);
    const runSeconds = (Date.now() - began) / 1000;
    log(`sonobuoy run --wait took ${runSeconds.toFixed(1)} s`);

    const status = JSON.parse((await sb(["status", "--json"])).stdout) as { status: string; plugins: { plugin: string; status: string; "result-status": string; progress?: { total: number; completed: number; failures?: string[] } }[] };
    const pluginStatus = status.plugins.find((p) => p.plugin === SONOBUOY_PLUGIN_NAME);
    assert.equal(status.status, "complete", `${run.stdout}\n${run.stderr}`);
    assert.equal(pluginStatus?.status, "complete");

    const retrieved = join(dir, "retrieved");
    await mkdir(retrieved);
    await sb(["retrieve", retrieved]);
    const [tarball] = await readdir(retrieved);
    assert.ok(tarball?.endsWith(".tar.gz"), `sonobuoy retrieve gave ${tarball}`);
    // `sonobuoy results` reads the tarball alone: no cluster, no --kubeconfig.
    const results = (await exec(sonobuoy, ["results", join(retrieved, tarball), "--plugin", SONOBUOY_PLUGIN_NAME])).stdout;
    log(`sonobuoy results:\n${results}`);

    // The harness's own report, from the same tarball.
    const reportEntry = `plugins/${SONOBUOY_PLUGIN_NAME}/results/global/report/report.json`;
    const extracted = join(dir, "extracted");
    await mkdir(extracted);
    await exec("tar", ["-xzf", join(retrieved, tarball), "-C", extracted, reportEntry]);
    const report = JSON.parse(await readFile(join(extracted, reportEntry), "utf8")) as Report;
    assert.equal(report.target.kind, "in-cluster", "the plugin checked the cluster it runs in");

    log(`report.json summary: ${JSON.stringify(report.summary)}`);
    const summary = parseSummary(results);
    const expected = sonobuoyCounts(report);
    assert.deepEqual({ total: summary.total, passed: summary.passed, failed: summary.failed, skipped: summary.skipped }, expected, `sonobuoy results against report.json's summary ${JSON.stringify(report.summary)}`);
    assert.equal(summary.status, expected.failed ? "failed" : "passed");
    assert.equal(pluginStatus?.["result-status"], summary.status);

    await sb(["delete", "--wait"], 10 * 60_000);
    deleted = true;
    const config = new KubeConfig();
    config.loadFromFile(kubeconfig);
    const core = config.makeApiClient(CoreV1Api);
    const rbac = config.makeApiClient(RbacAuthorizationV1Api);
    assert.deepEqual((await core.listNamespace({ labelSelector: `${RUN_LABEL}=${labelValue(report.runId)}` })).items.map((n) => n.metadata!.name), [], "no namespace of the run is left");
    assert.deepEqual((await core.listNamespace()).items.map((n) => n.metadata!.name).filter((n) => n === SONOBUOY_NAMESPACE), [], "Sonobuoy's namespace is gone");
    const sonobuoyRbac = [...(await rbac.listClusterRole({ labelSelector: "component=sonobuoy" })).items, ...(await rbac.listClusterRoleBinding({ labelSelector: "component=sonobuoy" })).items];
    assert.deepEqual(sonobuoyRbac.map((o) => o.metadata!.name), [], "Sonobuoy's and the plugin's cluster roles are gone");

    // One progress update per finished check: the last one accounts for every check of the run.
    assert.ok(pluginStatus?.progress, `the plugin reported progress (sonobuoy status: ${JSON.stringify(pluginStatus)})`);
    assert.equal(pluginStatus.progress.total, expected.total);
    assert.equal(pluginStatus.progress.completed + (pluginStatus.progress.failures?.length ?? 0), expected.total);
  } finally {
    // Whatever failed above: nothing of Sonobuoy's is left for the other runs on this cluster.
    if (!deleted) await sb(["delete", "--wait"], 10 * 60_000).catch(() => undefined);
  }
}
