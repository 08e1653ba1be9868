import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { HARNESS_CLUSTER_ROLE_RULES } from "../../harness/providers/in-cluster/required-access.ts";
import { NOT_APPLICABLE, toCheckResults, WARN } from "../../harness/report/check-results.ts";
import { renderJunit } from "../../harness/report/junit.ts";
import { REPORT_SCHEMA, summarize, type Report } from "../../harness/report/model.ts";
import { writeReport } from "../../harness/report/write-report.ts";
import { SONOBUOY_NARROW_ACCESS_FLAGS, sonobuoyPlugin, sonobuoyPluginAccess } from "../../harness/sonobuoy/plugin-definition.ts";
import { checkProgress, reportProgress } from "../../harness/sonobuoy/progress.ts";
import { renderSonobuoyJunit, SONOBUOY_JUNIT_FILE, SONOBUOY_RESULTS_SUBDIR, sonobuoyCounts, writeSonobuoyResults } from "../../harness/sonobuoy/results.ts";

const evidence = [{ request: "GET https://h/api", status: 200, excerpt: "ok", durationMs: 3 }];

/** One check of every outcome, and checks the selection left out. */
function sampleReport(): Report {
  const checks = toCheckResults([
    { id: "KC-01", status: "passed", annotations: [], evidence, durationMs: 10 },
    { id: "KC-02", status: "failed", annotations: [], evidence, error: "expected 200, got 403", durationMs: 11 },
    { id: "TK-04", status: "passed", annotations: [{ type: WARN, description: "insecure <by design>" }], evidence, durationMs: 12 },
    { id: "SP-22", status: "passed", annotations: [{ type: NOT_APPLICABLE, description: "no load balancer" }], evidence, durationMs: 1 },
    { id: "KP-03", status: "skipped", annotations: [{ type: "skip", description: "no IPv6 loopback" }], evidence: [], durationMs: 0 },
  ], new Set(["KC-01", "KC-02", "TK-04", "SP-22", "KP-03"]), "not run");
  return {
    schema: REPORT_SCHEMA, runId: "r1", startedAt: "2026-11-29T08:00:00.000Z", durationMs: 1000,
    target: { kind: "existing", server: "https://10.96.0.1:443", context: "in-cluster", serverVersion: "v1.36.1" },
    summary: summarize(checks), checks,
  };
}

/** The test case of one check in a JUnit document, e.g. `<testcase ... name="SP-22 ...">...</testcase>`. */
function testcase(junit: string, id: string): string {
  const match = junit.match(new RegExp(`<testcase [^>]*name="${id} [^"]*"[^>]*>.*?</testcase>`, "s"));
  assert.ok(match, `no test case for ${id}`);
  return match[0];
}

test("Sonobuoy's JUnit: fail is a failure, skip and n/a are skipped with their reason, warn and pass pass (warn keeps its reason)", () => {
  const junit = renderSonobuoyJunit(sampleReport());
  assert.match(testcase(junit, "KC-02"), /<failure message="expected 200, got 403">/);
  assert.match(testcase(junit, "SP-22"), /<skipped message="no load balancer"\/>/);
  assert.match(testcase(junit, "KP-03"), /<skipped message="no IPv6 loopback"\/>/);
  assert.match(testcase(junit, "TK-04"), /<system-out>warn\ninsecure &lt;by design&gt;/);
  assert.doesNotMatch(testcase(junit, "TK-04"), /<skipped|<failure/);
  assert.doesNotMatch(testcase(junit, "KC-01"), /<skipped|<failure/);
  assert.match(junit, /<testsuites name="kube-access-conformance" tests="5" failures="1" skipped="2">/);
  assert.doesNotMatch(junit, /IC-01/, "checks the selection left out are not test cases");
  assert.deepEqual(sonobuoyCounts(sampleReport()), { total: 5, passed: 2, failed: 1, skipped: 2 });
});

test("Sonobuoy's JUnit has no testsuite without test cases: Sonobuoy would count it as one passed test", () => {
  const report = { ...sampleReport(), proxyKinds: [{ kind: "kubectl proxy", state: "pass" as const, from: ["KP-01"], basis: "1 pass" }] };
  const junit = renderSonobuoyJunit(report);
  assert.match(junit, /<property name="kubectl proxy" value="pass: 1 pass"\/>/, "the kinds of proxy are properties");
  assert.doesNotMatch(junit, /tests="0"/);
});

test("the report's own junit.xml keeps n/a as passed", () => {
  const junit = renderJunit(sampleReport());
  assert.match(testcase(junit, "SP-22"), /<system-out>n\/a\nno load balancer/);
  assert.match(junit, /<testsuites name="kube-access-conformance" tests="5" failures="1" skipped="1">/);
});

test("the results directory holds the Sonobuoy JUnit and the whole report, and done names it", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-sonobuoy-unit-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const reportDir = join(dir, "reports", "r1");
  const resultsDir = join(dir, "results");
  await writeReport(reportDir, sampleReport(), new Map([["BR-01", [Buffer.from("png")]]]));

  const out = await writeSonobuoyResults(reportDir, resultsDir);
  assert.equal(out, join(resultsDir, SONOBUOY_RESULTS_SUBDIR));
  assert.equal(await readFile(join(resultsDir, "done"), "utf8"), out);
  assert.deepEqual((await readdir(resultsDir)).sort(), ["done", SONOBUOY_RESULTS_SUBDIR]);
  assert.deepEqual((await readdir(out)).sort(), ["report", SONOBUOY_JUNIT_FILE]);
  assert.deepEqual((await readdir(join(out, "report"))).sort(), ["junit.xml", "report.html", "report.json", "report.md"]);
  assert.equal(await readFile(join(out, SONOBUOY_JUNIT_FILE), "utf8"), renderSonobuoyJunit(sampleReport()));
  assert.equal(await readFile(join(out, "report", "report.json"), "utf8"), await readFile(join(reportDir, "report.json"), "utf8"));
});

test("a run that wrote no report still writes done, with one failed test case saying why", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-sonobuoy-unit-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const resultsDir = join(dir, "results");
  const out = await writeSonobuoyResults(join(dir, "nothing"), resultsDir, { error: "the ServiceAccount may not create namespaces" });
  assert.equal(await readFile(join(resultsDir, "done"), "utf8"), out);
  const junit = await readFile(join(out, SONOBUOY_JUNIT_FILE), "utf8");
  assert.match(junit, /tests="1" failures="1"/);
  assert.match(junit, /<failure message="the ServiceAccount may not create namespaces">/);
});

test("the plugin definition: a Job with JUnit results, the harness image running run --in-cluster with consent", () => {
  const plugin = parse(sonobuoyPlugin({ image: "kac.local/harness:0.1.0", args: ["--suite", "kubeconfig"] }));
  assert.deepEqual(plugin["sonobuoy-config"], {
    driver: "Job",
    "plugin-name": "kube-access-conformance",
    "result-format": "junit",
    "result-files": [SONOBUOY_JUNIT_FILE],
    description: plugin["sonobuoy-config"].description,
  });
  assert.deepEqual(plugin.spec, {
    name: "plugin",
    image: "kac.local/harness:0.1.0",
    imagePullPolicy: "IfNotPresent",
    command: ["kube-access-conformance"],
    args: ["run", "--in-cluster", "--suite", "kubeconfig"],
    env: [{ name: "KAC_ALLOW_IN_CLUSTER", value: "true" }],
  });
  assert.deepEqual(parse(sonobuoyPlugin({ image: "i" })).spec.args, ["run", "--in-cluster"]);
});

test("the narrowed access: Sonobuoy's namespace and the harness's rules, labelled so that sonobuoy delete removes them", () => {
  const [namespace, role, binding] = parseAllDocuments(sonobuoyPluginAccess()).map((d) => d.toJS());
  assert.deepEqual(namespace, { apiVersion: "v1", kind: "Namespace", metadata: { name: "sonobuoy", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } });
  assert.equal(role.kind, "ClusterRole");
  assert.deepEqual(role.rules, JSON.parse(JSON.stringify(HARNESS_CLUSTER_ROLE_RULES)));
  for (const object of [role, binding]) assert.deepEqual(object.metadata.labels, { component: "sonobuoy", namespace: "sonobuoy" });
  assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name });
  assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "sonobuoy-serviceaccount", namespace: "sonobuoy" }]);
  assert.deepEqual(SONOBUOY_NARROW_ACCESS_FLAGS, ["--aggregator-permissions", "namespaceAdmin", "--skip-preflight=existingnamespace"]);
  assert.equal(parseAllDocuments(sonobuoyPluginAccess({ namespace: "sb" }))[2]!.toJS().subjects[0].namespace, "sb");
});

/** A stand-in for Sonobuoy's worker: records what is POSTed, answers with `status` (or never, with "hang"). */
async function fakeWorker(status: number | "hang"): Promise<{ server: Server; port: string; received: { method?: string; url?: string; body: unknown }[] }> {
  const received: { method?: string; url?: string; body: unknown }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, body: JSON.parse(body) });
      if (status !== "hang") res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { server, port: String(typeof address === "object" && address ? address.port : 0), received };
}

test("progress is POSTed to the worker's port as Sonobuoy's JSON", async (t) => {
  const worker = await fakeWorker(200);
  t.after(() => worker.server.close());
  const update = checkProgress([{ id: "KC-01", status: "passed" }, { id: "KC-02", status: "failed" }, { id: "KC-03", status: "passed" }], 94);
  assert.equal(await reportProgress(update, { port: worker.port }), true);
  assert.equal(await reportProgress({ msg: "one more", appendCompleted: 1, appendFailing: ["KP-01"], appendTotals: true }, { port: worker.port }), true);
  assert.equal(worker.received.length, 2);
  const [first, second] = worker.received as { method: string; url: string; body: Record<string, unknown> }[];
  assert.equal(first!.method, "POST");
  assert.equal(first!.url, "/progress");
  const { timestamp, ...rest } = first!.body;
  assert.ok(!Number.isNaN(Date.parse(String(timestamp))));
  assert.deepEqual(rest, { name: "kube-access-conformance", node: "global", msg: "KC-03 passed", total: 94, completed: 2, failures: ["KC-02"] });
  assert.deepEqual([second!.body.appendcompleted, second!.body.appendfailing, second!.body.appendtotals], [1, ["KP-01"], true]);
});

test("progress never fails the run: no port set, nothing listening, an error status, a worker that never answers", async (t) => {
  const saved = process.env.SONOBUOY_PROGRESS_PORT;
  delete process.env.SONOBUOY_PROGRESS_PORT;
  t.after(() => { if (saved !== undefined) process.env.SONOBUOY_PROGRESS_PORT = saved; });
  assert.equal(await reportProgress({ msg: "x" }), false);

  const closed = await fakeWorker(200);
  await new Promise((resolve) => closed.server.close(resolve));
  assert.equal(await reportProgress({ msg: "x" }, { port: closed.port }), false);

  const refusing = await fakeWorker(403);
  t.after(() => refusing.server.close());
  assert.equal(await reportProgress({ msg: "x" }, { port: refusing.port }), false);

  const hanging = await fakeWorker("hang");
  t.after(() => { hanging.server.closeAllConnections(); hanging.server.close(); });
  const began = Date.now();
  assert.equal(await reportProgress({ msg: "x" }, { port: hanging.port, timeoutMs: 300 }), false);
  assert.ok(Date.now() - began < 2000, "a worker that never answers holds the run no longer than the timeout");
});
