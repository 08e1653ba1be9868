import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { toCheckResults, WARN, NOT_APPLICABLE, DOC_DRIFT } from "../../harness/report/check-results.ts";
import { renderHtml } from "../../harness/report/html.ts";
import { renderJunit } from "../../harness/report/junit.ts";
import { renderMarkdown } from "../../harness/report/markdown.ts";
import { closingLine, REPORT_SCHEMA, summarize, type Report } from "../../harness/report/model.ts";

const evidence = [{ request: "GET https://h/api", status: 200, excerpt: '{"kind":"APIVersions"} <b>&', durationMs: 12 }];

function sampleReport(): Report {
  const checks = toCheckResults([
    { id: "KC-01", status: "passed", annotations: [], evidence, durationMs: 40 },
    { id: "KC-02", status: "failed", annotations: [], evidence, error: "expected 200, got 403", durationMs: 41 },
    { id: "TK-04", status: "passed", annotations: [{ type: WARN, description: "insecure" }], evidence, durationMs: 42 },
    { id: "SP-22", status: "passed", annotations: [{ type: NOT_APPLICABLE, description: "no load balancer" }], evidence, durationMs: 1 },
    { id: "BR-06", status: "passed", annotations: [{ type: DOC_DRIFT, description: "Basic auth removed in 1.19" }], evidence, durationMs: 1 },
    { id: "KP-03", status: "skipped", annotations: [{ type: "skip", description: "no IPv6 loopback" }], evidence: [], durationMs: 0 },
    // Skipped by Playwright, not by itself: KC-02 failed before it in its serial suite.
    { id: "KC-04", status: "skipped", annotations: [], evidence: [], durationMs: 0 },
  ], new Set(["KC-01", "KC-02", "KC-03", "KC-04", "TK-04", "SP-22", "BR-06", "KP-03"]), "not run: the run was interrupted");
  return {
    schema: REPORT_SCHEMA, runId: "r1", startedAt: "2026-11-23T08:00:00.000Z", durationMs: 1000,
    target: { kind: "kind", server: "https://127.0.0.1:1", context: "kind-kac", serverVersion: "v1.36.1" },
    summary: summarize(checks), checks,
  };
}

test("every catalog ID is in the results, in catalog order; unselected ones are not skips, unrun selected ones fail and say why", () => {
  const report = sampleReport();
  assert.deepEqual(report.checks.map((c) => c.id), CATALOG.map((e) => e.id));
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assert.deepEqual([byId["IC-01"]!.result, byId["IC-01"]!.reason], ["not-selected", "left out by --suite or --grep"]);
  assert.deepEqual([byId["KC-03"]!.result, byId["KC-03"]!.reason], ["fail", "not run: the run was interrupted"]);
  assert.deepEqual([byId["KC-04"]!.result, byId["KC-04"]!.reason], ["fail", "not run: KC-02 failed before it (expected 200, got 403)"]);
});

test("outcomes follow the catalog's vocabulary, with reasons", () => {
  const byId = Object.fromEntries(sampleReport().checks.map((c) => [c.id, c]));
  assert.equal(byId["KC-01"]!.result, "pass");
  assert.deepEqual([byId["KC-02"]!.result, byId["KC-02"]!.reason], ["fail", "expected 200, got 403"]);
  assert.deepEqual([byId["TK-04"]!.result, byId["TK-04"]!.reason], ["warn", "insecure"]);
  assert.deepEqual([byId["SP-22"]!.result, byId["SP-22"]!.reason], ["n/a", "no load balancer"]);
  assert.deepEqual([byId["BR-06"]!.result, byId["BR-06"]!.docDrift], ["pass", "Basic auth removed in 1.19"]);
  assert.deepEqual([byId["KP-03"]!.result, byId["KP-03"]!.reason], ["skip", "no IPv6 loopback"]);
  assert.equal(byId["KC-01"]!.doc.url, "https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster/#accessing-for-the-first-time-with-kubectl");
});

test("the closing line counts warn and n/a as passed, and names what the selection left out apart from skips", () => {
  const report = sampleReport();
  assert.equal(closingLine(report.summary), `4 passed, 3 failed, 1 skipped, ${CATALOG.length - 8} not selected`);
  const everything = { ...report.summary, "not-selected": 0 };
  assert.equal(closingLine(everything), "4 passed, 3 failed, 1 skipped");
});

test("markdown has a table per section with results and doc links", () => {
  const md = renderMarkdown(sampleReport());
  assert.match(md, /^## kubeconfig$/m);
  assert.match(md, /\| KC-02 \| ❌ fail<br>expected 200, got 403 \|/);
  assert.match(md, /\[accessing-for-the-first-time-with-kubectl\]\(https:\/\/kubernetes\.io\/docs\/tasks\/access-application-cluster\/access-cluster\/#accessing-for-the-first-time-with-kubectl\)/);
});

test("HTML and JUnit escape what the evidence contains", () => {
  const report = sampleReport();
  const html = renderHtml(report, new Map([["KC-01", [Buffer.from("png")]]]));
  assert.match(html, /&lt;b&gt;&amp;/);
  assert.doesNotMatch(html, /<b>&/);
  assert.match(html, /src="data:image\/png;base64,cG5n"/);
  const junit = renderJunit(report);
  assert.match(junit, /<testsuite name="kubeconfig" tests="4" failures="3" skipped="0">/);
  assert.match(junit, /<failure message="expected 200, got 403">/);
  assert.match(junit, /&lt;b&gt;&amp;/);
  assert.doesNotMatch(junit, /IC-01/, "checks the selection left out are not test cases");
});

test("a baseline of another schema is refused; regressions are checks that were accepted and now fail", async (t) => {
  const { findRegressions, loadBaseline } = await import("../../harness/report/baseline.ts");
  const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = await mkdtemp(join(tmpdir(), "kac-baseline-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "other.json"), JSON.stringify({ schema: "something/else@3", checks: [] }));
  assert.throws(() => loadBaseline(join(dir, "other.json")), /has schema "something\/else@3", not kube-access-conformance\/report@1/);
  await writeFile(join(dir, "garbled.json"), "{ nope");
  assert.throws(() => loadBaseline(join(dir, "garbled.json")), /cannot be read as JSON/);
  const before = sampleReport();
  await writeFile(join(dir, "report.json"), JSON.stringify(before));
  const baseline = loadBaseline(join(dir, "report.json"));
  const now = before.checks.map((c) => (c.id === "KC-01" || c.id === "TK-04" || c.id === "IC-01" ? { ...c, result: "fail" as const, reason: "broke" } : c));
  // KC-01 was pass and TK-04 warn: regressions; IC-01 was not selected: not one.
  assert.deepEqual(findRegressions(baseline, now).map((r) => [r.id, r.before, r.now]), [["KC-01", "pass", "fail"], ["TK-04", "warn", "fail"]]);
});

test("the side-by-side view lists checks that asked the proxy under test", async () => {
  const { compareProxies } = await import("../../harness/report/proxy-comparison.ts");
  const checks = sampleReport().checks.slice(0, 2).map((c, i) => ({
    ...c,
    evidence: [
      { request: "GET /api (kubectl proxy)", status: 200, excerpt: "", durationMs: 1, path: "kubectl proxy" },
      { request: "GET /api (proxy under test)", status: i === 0 ? 200 : 404, excerpt: "", durationMs: 1, path: "proxy under test" },
    ],
  }));
  assert.deepEqual(compareProxies(checks), [
    { id: "KC-01", kubectlProxy: "200", proxyUnderTest: "200", differs: false },
    { id: "KC-02", kubectlProxy: "200", proxyUnderTest: "404", differs: true, difference: "expected 200, got 403" },
  ]);
});

test("latency regressions: beyond the factor and the noise floor, per path and metric", async () => {
  const { findLatencyRegressions } = await import("../../harness/report/baseline.ts");
  const before = { ...sampleReport(), latency: [
    { path: "direct", requests: 30, p50Ms: 2, p95Ms: 4 },
    { path: "proxy under test", requests: 30, p50Ms: 3, p95Ms: 6 },
    { path: "kubectl proxy", requests: 30, p50Ms: 20, p95Ms: 40 },
  ] };
  const now = [
    { path: "direct", requests: 30, p50Ms: 5, p95Ms: 7 }, // ×2.5 but within the 5 ms noise floor
    { path: "proxy under test", requests: 30, p50Ms: 53, p95Ms: 11 }, // p50 ×17; p95 ×1.8
    { path: "kubectl proxy", unmeasured: "refused" },
  ];
  assert.deepEqual(findLatencyRegressions(before, now, 2), [{ path: "proxy under test", metric: "p50", beforeMs: 3, nowMs: 53, factor: 2 }]);
  assert.deepEqual(findLatencyRegressions(before, now, 20), []);
});

test("the kinds of proxy appear in every format", async () => {
  const { proxyKinds } = await import("../../harness/report/proxy-kinds.ts");
  const report = sampleReport();
  report.proxyKinds = proxyKinds(report.checks, { server: "127.0.0.1:1", resolved: ["127.0.0.1"], endpoints: ["172.18.0.2:6443"], front: "other", evidence: "127.0.0.1:1 is not among the API server's endpoints" });
  const front = "proxy or load balancer in front of the API server";
  assert.match(renderMarkdown(report), new RegExp(`\\| ${front} \\| detected \\|`));
  assert.match(renderHtml(report), new RegExp(`<td>${front}</td><td>detected</td>`));
  assert.match(renderJunit(report), new RegExp(`<property name="${front}" value="detected: 127.0.0.1:1 is not among`));
  assert.match(renderJunit(report), /<property name="kubectl proxy" value="skip: 11 not-selected, 1 skip"/);
});
