import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { remediationFor } from "../../harness/catalog/remediation.ts";
import { escapeMarkup } from "../../harness/report/escape.ts";
import { toCheckResults, WARN, DOC_DRIFT } from "../../harness/report/check-results.ts";
import { renderHtml } from "../../harness/report/html.ts";
import { buildMatrix, type ColumnOutcome } from "../../harness/report/matrix-model.ts";
import { renderMatrixHtml } from "../../harness/report/matrix-html.ts";
import { REPORT_SCHEMA, summarize, type CheckResult, type Report } from "../../harness/report/model.ts";

const ok = [{ request: "GET https://h/api", status: 200, excerpt: '{"kind":"APIVersions"}', durationMs: 12 }];
const hostile = [
  { request: "GET https://h/api/v1/namespaces/kac/services/probe/proxy/", status: 403, excerpt: "<script>alert(1)</script>", durationMs: 7 },
  { request: "GET https://h/api/v1/namespaces/kac/pods", status: 200, excerpt: "{}", durationMs: 3 },
];

function sampleReport(): Report {
  const checks = toCheckResults([
    { id: "KC-01", status: "passed", annotations: [], evidence: ok, durationMs: 40 },
    { id: "KP-06", status: "failed", annotations: [], evidence: hostile, error: "exec was let through: 101, expected 403", durationMs: 41 },
    { id: "TK-04", status: "passed", annotations: [{ type: WARN, description: "insecure: --insecure skips verification" }], evidence: ok, durationMs: 42 },
    { id: "BR-06", status: "passed", annotations: [{ type: DOC_DRIFT, description: "Basic auth removed in 1.19" }], evidence: ok, durationMs: 1 },
    { id: "KP-03", status: "skipped", annotations: [{ type: "skip", description: "no IPv6 loopback" }], evidence: [], durationMs: 0 },
  ], new Set(["KC-01", "KP-06", "TK-04", "BR-06", "KP-03"]), "not run: the run was interrupted");
  return {
    schema: REPORT_SCHEMA, runId: "r1", startedAt: "2026-11-23T08:00:00.000Z", durationMs: 1000,
    target: { kind: "kind", server: "https://127.0.0.1:1", context: "kind-kac", serverVersion: "v1.36.1" },
    summary: summarize(checks), checks,
  };
}

/** The part of the page between two markers (start inclusive). */
function slice(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  assert.ok(start >= 0, `${from} is on the page`);
  const end = html.indexOf(to, start);
  assert.ok(end > start, `${to} follows ${from}`);
  return html.slice(start, end);
}

/** The table row of a check, by its anchor. */
function rowOf(html: string, id: string): string {
  return slice(html, `<tr id="check-${id}"`, "</tr>");
}

test("report.html leads with what needs attention: the failing check, its reason and remediation, before the section tables", () => {
  const html = renderHtml(sampleReport());
  const attention = html.indexOf('id="attention"');
  const firstSection = html.indexOf("<section data-block");
  assert.ok(attention > 0 && attention < firstSection, "attention comes before the section tables");
  assert.ok(html.indexOf('id="filters"') > attention && html.indexOf('id="filters"') < firstSection, "the filter bar sits between them");
  const lead = slice(html, 'id="attention"', 'id="filters"');
  assert.match(lead, /KP-06/);
  assert.match(lead, /exec was let through: 101, expected 403/);
  assert.ok(lead.includes(escapeMarkup(remediationFor("KP-06"))), "the remediation line of the failing check");
  assert.ok(lead.includes('href="https://kubernetes.io/docs/tasks/access-application-cluster/access-cluster/#using-kubectl-proxy"'), "a link to its documentation section");
  // Failures first, then warnings and skips with their reasons, then doc drift.
  const order = ['id="failures"', 'id="warnings"', 'id="doc-drift"'].map((m) => lead.indexOf(m));
  assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!)), `failures, warnings, doc drift in that order: ${order}`);
  assert.match(lead, /insecure: --insecure skips verification/);
  assert.match(lead, /no IPv6 loopback/);
  assert.match(lead, /Basic auth removed in 1\.19/);
  assert.doesNotMatch(lead, /KC-01/, "a passing check without notes needs no attention");
  // The failing row in its section table carries the remediation too; a passing row does not.
  assert.ok(rowOf(html, "KP-06").includes(escapeMarkup(remediationFor("KP-06"))));
  assert.doesNotMatch(rowOf(html, "KC-01"), /class="fix"/);
});

test("regressions against the baseline come first of all", () => {
  const report = { ...sampleReport(), baseline: { runId: "r0", startedAt: "2026-11-22T08:00:00.000Z" }, regressions: [{ id: "KP-06", before: "pass" as const, now: "fail" as const, reason: "exec was let through" }] };
  const lead = slice(renderHtml(report), 'id="attention"', 'id="filters"');
  const regressions = lead.indexOf('id="regressions"');
  assert.ok(regressions > 0 && regressions < lead.indexOf('id="failures"'));
  assert.match(lead, /Regressions against baseline <code>r0<\/code>/);
  const none = slice(renderHtml({ ...report, regressions: [] }), 'id="attention"', 'id="filters"');
  assert.match(none, /No regressions against baseline <code>r0<\/code>/);
});

test("every check ID has its row, with its result and section for the filters, and its evidence folded", () => {
  const html = renderHtml(sampleReport(), new Map([["KC-01", [Buffer.from("png")]]]));
  for (const { id, section } of CATALOG) {
    assert.match(html, new RegExp(`<tr id="check-${id}" class="r-[a-z-]+" data-result="[a-z/-]+" data-section="${section}">`), id);
  }
  const kc01 = rowOf(html, "KC-01");
  const fold = slice(kc01, "<details", "</details>");
  assert.match(fold, /<summary>1 evidence entry, 1 screenshot <span class="first">\(GET https:\/\/h\/api → 200\)<\/span><\/summary>/);
  assert.match(fold, /GET https:\/\/h\/api/);
  assert.match(fold, /src="data:image\/png;base64,cG5n"/, "the screenshot is inside the fold");
  assert.match(rowOf(html, "KP-06"), /<summary>2 evidence entries <span class="first">\(GET https:\/\/h\/api\/v1\/namespaces\/kac\/services\/probe\/proxy\/ → 403\)/);
  assert.match(rowOf(html, "IC-01"), /no evidence recorded/);
});

test("the filter bar has a checkbox per result with its count and one per section, and is shown only by the script", () => {
  const html = renderHtml(sampleReport());
  const bar = slice(html, '<div id="filters"', "</fieldset></div>");
  assert.match(bar, /^<div id="filters" class="filters" hidden>/, "hidden with scripts off, so every row shows and no dead control does");
  for (const [result, count] of [["pass", 2], ["fail", 1], ["warn", 1], ["skip", 1], ["n/a", 0], ["not-selected", CATALOG.length - 5]] as const) {
    assert.match(bar, new RegExp(`<input type="checkbox" data-kind="result" value="${result}" checked>.*?<span class="n">${count}</span>`), result);
  }
  for (const section of new Set(CATALOG.map((e) => e.section))) assert.match(bar, new RegExp(`data-kind="section" value="${section}" checked>`));
  assert.doesNotMatch(html, /<tr[^>]* hidden/, "no row starts hidden");
});

test("evidence is escaped: a <script> in an excerpt stays text, and the page has only its own script", () => {
  const html = renderHtml(sampleReport());
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /<script>alert/);
  assert.equal(html.match(/<script/g)?.length, 1, "one inline script: the filters");
  const script = slice(html, "<script>", "</script>").slice("<script>".length);
  assert.doesNotThrow(() => new Function(script), "the inline script parses");
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\/(?!kubernetes\.io)/, "no external resources (links to the documentation only)");
});

test("a check ID the remediation list lacks (an older report) still renders", () => {
  const report = sampleReport();
  const old: CheckResult = { ...report.checks[0]!, id: "XX-99", result: "fail", reason: "gone" };
  assert.match(renderHtml({ ...report, checks: [...report.checks, old] }), /XX-99/);
});

// --- matrix.html ---------------------------------------------------------------------------------

function check(id: string, result: CheckResult["result"], statuses: (string | number)[], extra: Partial<CheckResult> = {}): CheckResult {
  const entry = CATALOG.find((e) => e.id === id)!;
  return {
    id, section: entry.section, title: entry.title, doc: { page: entry.page, anchor: entry.anchor, url: "https://kubernetes.io/" },
    result, evidence: statuses.map((status) => ({ request: `GET /${id}`, status, excerpt: `<b>${id}</b>`, durationMs: 1 })), durationMs: 1, ...extra,
  };
}

function columnReport(runId: string, version: string, checks: CheckResult[]): Report {
  return {
    schema: REPORT_SCHEMA, runId, startedAt: "2026-11-30T00:00:00.000Z", durationMs: 1000,
    target: { kind: "kind", server: "https://127.0.0.1:1", context: "kind-kac", serverVersion: version, nodeImage: `kac.local/node:${version}` },
    summary: summarize(checks), checks,
  };
}

const ORDER = CATALOG.map((e) => e.id);
const columns: ColumnOutcome[] = [
  { label: "1.35", preRelease: false, reportDir: "1.35", report: columnReport("m-1", "v1.35.4", [
    check("KC-01", "pass", [0]), check("TK-07", "pass", [401]), check("BR-06", "pass", [200], { docDrift: "Basic auth removed" }),
    check("SP-20", "fail", [403], { reason: "expected 404, got 403" }),
  ]) },
  { label: "1.37", preRelease: true, reportDir: "1.37", report: columnReport("m-2", "v1.37.0-alpha.1", [
    check("KC-01", "pass", [0]), check("TK-07", "pass", [403]), check("BR-06", "pass", [200], { docDrift: "Basic auth removed; and more" }),
    check("SP-20", "pass", [404]),
  ]) },
];

test("matrix.html: the differing rows lead, grouped by how they differ, and are highlighted in the tables with every column's evidence folded", () => {
  const html = renderMatrixHtml(buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, columns, ORDER));
  const lead = slice(html, 'id="attention"', 'id="filters"');
  assert.ok(html.indexOf('id="attention"') < html.indexOf("<section data-block"));
  const groups = ['id="differs-result"', 'id="differs-evidence"', 'id="differs-doc-drift"', 'id="failures"'].map((m) => lead.indexOf(m));
  assert.ok(groups.every((i, n) => i > 0 && (n === 0 || i > groups[n - 1]!)), `result, evidence, doc-drift, then failures: ${groups}`);
  assert.match(slice(lead, 'id="differs-result"', 'id="differs-evidence"'), /SP-20/);
  assert.match(slice(lead, 'id="differs-evidence"', 'id="differs-doc-drift"'), /TK-07/);
  assert.match(slice(lead, 'id="differs-doc-drift"', 'id="failures"'), /BR-06/);
  // The failing row carries its remediation, in the lead and in its table.
  assert.ok(slice(lead, 'id="failures"', "</table>").includes(escapeMarkup(remediationFor("SP-20"))));
  const sp20 = rowOf(html, "SP-20");
  assert.match(sp20, /^<tr id="check-SP-20" class="differs" data-section="service-proxy" data-differs="result">/);
  assert.ok(sp20.includes(escapeMarkup(remediationFor("SP-20"))));
  assert.match(sp20, /<td class="cell r-fail" data-col="0" data-result="fail">/);
  assert.match(sp20, /<td class="cell r-pass" data-col="1" data-result="pass">/);
  assert.equal(sp20.match(/<details class="fold" data-sync="SP-20">/g)?.length, 2, "one evidence fold per column, opened together");
  assert.match(sp20, /&lt;b&gt;SP-20&lt;\/b&gt;/, "the evidence is escaped");
  const kc01 = rowOf(html, "KC-01");
  assert.match(kc01, /^<tr id="check-KC-01" class="" data-section="kubeconfig">/, "a row that does not differ is not highlighted");
  assert.doesNotMatch(kc01, /<details/);
  for (const { id } of CATALOG.filter((e) => ["KC-01", "TK-07", "BR-06", "SP-20"].includes(e.id))) assert.match(html, new RegExp(`id="check-${id}"`));
});

test("matrix.html: column headers with version, node image, closing line, pre-release mark and a link to each column's report", () => {
  const html = renderMatrixHtml(buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, columns, ORDER));
  const cards = slice(html, '<div class="cols">', "</header>");
  assert.match(cards, /<span class="label">1\.35<\/span>/);
  assert.match(cards, /Kubernetes v1\.37\.0-alpha\.1 · node image <code>kac\.local\/node:v1\.37\.0-alpha\.1<\/code>/);
  assert.match(cards, /<span class="label">1\.37<\/span><span class="tag pre"[^>]*>pre-release<\/span>/);
  assert.doesNotMatch(slice(cards, "1.35", "1.37"), /pre-release/);
  assert.match(cards, /<strong>3 passed, 1 failed, 0 skipped<\/strong>/);
  assert.match(cards, /href="1\.35\/report\.html"/);
  assert.match(cards, /href="1\.37\/report\.html"/);
  // The filter bar offers each column and "only rows that differ".
  const bar = slice(html, '<div id="filters"', "</fieldset></div>");
  assert.match(bar, /data-kind="column" value="0" checked>1\.35/);
  assert.match(bar, /data-kind="column" value="1" checked>1\.37 <span class="tag pre">pre-release<\/span>/);
  assert.match(bar, /<input type="checkbox" data-kind="differs" value="only">only rows that differ <span class="n">3<\/span>/);
});

test("matrix.html: a column that did not run is shown prominently, once, rather than as a failure per row", () => {
  const outcomes: ColumnOutcome[] = [columns[0]!, { label: "1.38", preRelease: true, reportDir: "1.38", runId: "m-3", durationMs: 5, error: "node image kac.local/node:v1.38.0 is not built" }];
  const html = renderMatrixHtml(buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, outcomes, ORDER));
  const cards = slice(html, '<div class="cols">', "</header>");
  assert.match(cards, /<div class="col error">.*1\.38.*did not run.*<div class="err">node image kac\.local\/node:v1\.38\.0 is not built<\/div>/s);
  assert.match(cards, /href="1\.38\/logs\/"/, "its nodes' logs, not a report it never wrote");
  assert.doesNotMatch(cards, /href="1\.38\/report\.html"/);
  const lead = slice(html, 'id="attention"', 'id="filters"');
  assert.ok(lead.indexOf("node image kac.local/node:v1.38.0 is not built") < lead.indexOf('id="differs-result"'), "the error leads");
  assert.match(slice(lead, 'id="differs-result"', 'id="differs-evidence"'), /3 rows.*All 3 differ only because 1\.38 did not run/s);
  assert.match(slice(lead, 'id="differs-evidence"', 'id="failures"'), /It differs only because 1\.38 did not run/);
  assert.doesNotMatch(slice(lead, 'id="differs-result"', 'id="failures"'), /<table/, "no row differs but for the missing column");
  // The failures list names the check that failed where it ran, not the 4 the missing column could not run.
  const failures = slice(lead, 'id="failures"', "</table>");
  assert.equal(failures.match(/<tr class="r-fail/g)?.length, 1);
  assert.match(failures, /SP-20/);
});
