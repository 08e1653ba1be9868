import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { UsageError } from "../../harness/errors/usage-error.ts";
import { DEFAULT_RELEASE, minorRelease, parseMinorList, SUPPORTED_MINORS } from "../../harness/kind/kubernetes-versions.ts";
import { answerStatuses, buildMatrix, difference, type ColumnOutcome } from "../../harness/report/matrix-model.ts";
import { renderMatrixMarkdown } from "../../harness/report/matrix-markdown.ts";
import { REPORT_SCHEMA, summarize, type CheckResult, type Report } from "../../harness/report/model.ts";
import { planColumns } from "../../harness/run/matrix-columns.ts";
import type { RunOptions } from "../../harness/run/run-options.ts";

const ORDER = CATALOG.map((e) => e.id);

function check(id: string, result: CheckResult["result"], statuses: (string | number)[], extra: Partial<CheckResult> = {}): CheckResult {
  const entry = CATALOG.find((e) => e.id === id)!;
  return {
    id, section: entry.section, title: entry.title, doc: { page: entry.page, anchor: entry.anchor, url: "https://kubernetes.io/" },
    result, evidence: statuses.map((status, i) => ({ request: `GET /${id}/${i}`, status, excerpt: "", durationMs: 1 })), durationMs: 1, ...extra,
  };
}

function report(runId: string, version: string, checks: CheckResult[]): Report {
  return {
    schema: REPORT_SCHEMA, runId, startedAt: "2026-11-30T00:00:00.000Z", durationMs: 1000,
    target: { kind: "kind", server: "https://127.0.0.1:1", context: "kind-kac", serverVersion: version }, summary: summarize(checks), checks,
  };
}

const older = report("m-1", "v1.35.4", [
  check("KC-01", "pass", [0]),
  check("TK-07", "pass", [401, 200]),
  check("KP-06", "pass", [403]),
  check("BR-06", "pass", [200], { docDrift: "Basic auth removed" }),
  check("SP-20", "fail", [403], { reason: "expected 200" }),
  check("SP-22", "pass", [200]),
]);
/** A wait that asked the same request until it answered: only its last answer counts. */
const polled = (statuses: (string | number)[]) => statuses.map((status) => ({ request: "GET http://172.18.255.240/sp22", status, excerpt: "", durationMs: 1 }));
const newer = report("m-2", "v1.37.2", [
  check("KC-01", "pass", [0]),
  check("TK-07", "pass", [403, 200]),
  check("KP-06", "pass", [403, 403, 403]),
  check("BR-06", "pass", [200], { docDrift: "Basic auth removed; and more" }),
  check("SP-20", "pass", [200]),
  check("SP-22", "pass", [], { evidence: polled(["curl exit 7", "curl exit 7", 200]) }),
]);
const outcomes: ColumnOutcome[] = [
  { label: "1.35", preRelease: false, reportDir: "1.35", report: older },
  { label: "1.37", preRelease: false, reportDir: "1.37", report: newer },
];

test("the matrix puts each check's results side by side and names how rows differ", () => {
  const matrix = buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, outcomes, ORDER);
  assert.deepEqual(matrix.columns.map((c) => [c.label, c.target?.serverVersion]), [["1.35", "v1.35.4"], ["1.37", "v1.37.2"]]);
  assert.deepEqual(matrix.rows.map((r) => r.id), ["KC-01", "KP-06", "TK-07", "SP-20", "SP-22", "BR-06"]);
  assert.deepEqual(matrix.differences, { result: ["SP-20"], evidence: ["TK-07"], "doc-drift": ["BR-06"] });
  // A poll that asked three times is the same answer as asking once.
  assert.equal(matrix.rows.find((r) => r.id === "KP-06")!.differs, undefined);
  // Nor do the early answers of a request asked again until it answered: they say when, not what.
  assert.equal(matrix.rows.find((r) => r.id === "SP-22")!.differs, undefined);
  assert.deepEqual(answerStatuses(polled([0, 200, 0])), ["0"], "the last answer of the last run of a request");
});

test("a differing row keeps every column's evidence; an equal row leaves it to the columns' reports", () => {
  const matrix = buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, outcomes, ORDER);
  const differing = matrix.rows.find((r) => r.id === "TK-07")!;
  assert.deepEqual(differing.cells.map((c) => c.evidence?.map((e) => e.status)), [[401, 200], [403, 200]]);
  assert.ok(matrix.rows.find((r) => r.id === "KC-01")!.cells.every((c) => c.evidence === undefined));
});

test("a column that never reached its checks fails every check with its reason", () => {
  const broken: ColumnOutcome[] = [outcomes[0]!, { label: "1.38", preRelease: true, reportDir: "1.38", runId: "m-2", durationMs: 5, error: "node image kac.local/node:v1.38.0-beta.0 is not present" }];
  const matrix = buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, broken, ORDER);
  const column = matrix.columns[1]!;
  assert.equal(column.preRelease, true);
  assert.equal(column.summary.fail, 6);
  assert.match(matrix.rows[0]!.cells[1]!.reason!, /^not run: node image .* is not present$/);
  assert.equal(matrix.rows[0]!.differs, "result");
});

test("checks not selected in a column are left out of the comparison", () => {
  assert.equal(difference([{ result: "not-selected", statuses: [] }, { result: "pass", statuses: ["200"] }]), undefined);
  assert.equal(difference([{ result: "pass", statuses: ["200"] }, { result: "pass", statuses: ["200"] }]), undefined);
  const refused = (port: number) => ({ result: "pass" as const, statuses: ["200"], docDrift: `refused (connect ECONNREFUSED ::1:${port})` });
  assert.equal(difference([refused(44407), refused(45279)]), undefined, "a port in a doc-drift note is not a difference");
});

test("matrix.md lists what differs before every check, and each column's doc drift", () => {
  const md = renderMatrixMarkdown(buildMatrix("m", "2026-11-30T00:00:00.000Z", 2000, outcomes, ORDER));
  assert.ok(md.indexOf("## What differs") < md.indexOf("## Every check"));
  assert.match(md, /\| SP-20 \| result \| ❌ fail \(answers: 403\): expected 200 \| ✅ pass \(answers: 200\) \|/);
  assert.match(md, /- \*\*1\.37\*\*: BR-06 \(Basic auth removed; and more\)/);
  assert.match(md, /\[report\.md\]\(1\.35\/report\.md\)/);
});

const base = { kindConfig: "kind-config.yaml", fixtureImage: "f", probeImage: "p", inCluster: false, allowInCluster: false, reportDir: "r", keep: false, dryRun: false, suites: [], latencyFactor: 2 } satisfies RunOptions;
const none = { kubernetes: [], nodeImages: [], contexts: [], allowContexts: [] };

test("the versions file: supported minors oldest first, a default among them, a pre-release only by name", () => {
  assert.deepEqual(SUPPORTED_MINORS, ["1.35", "1.36", "1.37"]);
  assert.ok(SUPPORTED_MINORS.includes(DEFAULT_RELEASE.minor));
  assert.match(DEFAULT_RELEASE.upstream!, /^kindest\/node:v1\.37\.\d+@sha256:[0-9a-f]{64}$/);
  assert.deepEqual(parseMinorList("supported").map((r) => r.minor), SUPPORTED_MINORS);
  assert.equal(minorRelease("v1.38").preRelease, true);
  assert.throws(() => parseMinorList("1.35,1.35"), UsageError);
  assert.throws(() => parseMinorList("1.20"), /Kubernetes 1\.20 is not one this harness knows/);
});

test("columns: one per minor, image or context; one column without any", () => {
  assert.deepEqual(planColumns(base, none).map((c) => c.label), [""]);
  const minors = planColumns(base, { ...none, kubernetes: parseMinorList("1.35,1.37,1.38") });
  assert.deepEqual(minors.map((c) => [c.label, c.preRelease, c.options.kubernetes?.offline]), [["1.35", false, "v1.35.4"], ["1.37", false, "v1.37.2"], ["1.38", true, "v1.38.0-beta.0"]]);
  assert.deepEqual(planColumns(base, { ...none, nodeImages: ["kac.local/node:v1.35.4", "kac.local/node:v1.37.2"] }).map((c) => c.label), ["v1.35.4", "v1.37.2"]);
  const contexts = planColumns({ ...base, kubeconfig: "k" }, { ...none, contexts: ["a", "b"], allowContexts: ["a", "b"] });
  assert.deepEqual(contexts.map((c) => [c.label, c.options.context, c.options.allowContext]), [["a", "a", "a"], ["b", "b", "b"]]);
});

test("columns: what cannot be combined is bad input", () => {
  assert.throws(() => planColumns(base, { ...none, kubernetes: parseMinorList("1.35"), nodeImages: ["x"] }), /exclude each other/);
  assert.throws(() => planColumns({ ...base, kubeconfig: "k" }, { ...none, kubernetes: parseMinorList("1.35") }), /chooses kind node images/);
  assert.throws(() => planColumns({ ...base, proxyUrl: "http://x" }, { ...none, kubernetes: parseMinorList("1.35,1.37") }), /--proxy-url reaches one cluster/);
  assert.throws(() => planColumns({ ...base, kubeconfig: "k" }, { ...none, contexts: ["a", "a"] }), /named twice/);
});
