import type { Evidence } from "../ground/evidence.ts";
import type { TargetDescription } from "../ground/target.ts";
import { closingLine, summarize, type CheckResult, type Outcome, type Report } from "./model.ts";

/**
 * matrix.json, version 1: one run's checks on several clusters (Kubernetes minors, node images or
 * contexts), side by side. Documented field by field in reports/README.md.
 */
export const MATRIX_SCHEMA = "kube-access-conformance/matrix@1";

/** One cluster of the matrix: what it was, and where its own full report is. */
export interface MatrixColumn {
  /** What the user named: "1.35", a node image, a context. */
  label: string;
  /** The next minor's pre-release: an opt-in column whose differences are a preview, not a verdict. */
  preRelease: boolean;
  runId: string;
  /** The column's own report directory, relative to the matrix's. */
  reportDir: string;
  /** Absent where the column never reached its suites (then `error` says why). */
  target?: TargetDescription;
  durationMs: number;
  summary: Record<Outcome, number>;
  /** Why the column has no results of its own (its cluster did not start, its image is missing). */
  error?: string;
}

/** A check's result in one column. */
export interface MatrixCell {
  result: Outcome;
  reason?: string;
  docDrift?: string;
  /**
   * The distinct statuses the evidence recorded, sorted: what "the evidence differs" compares. Distinct,
   * because a bounded wait polls a different number of times on each run; and of a request asked again
   * at once, only the last answer, because a wait's early answers say when, not what (answerStatuses).
   */
  statuses: string[];
  /** The column's evidence; kept in the matrix for rows that differ, else in the column's report. */
  evidence?: Evidence[];
}

/** How a row differs between columns: the results, else only what the evidence recorded, else the doc-drift notes. */
export type Difference = "result" | "evidence" | "doc-drift";

export interface MatrixRow {
  id: string;
  section: CheckResult["section"];
  title: string;
  doc: CheckResult["doc"];
  /** One cell per column, in column order. */
  cells: MatrixCell[];
  differs?: Difference;
}

export interface MatrixReport {
  schema: typeof MATRIX_SCHEMA;
  matrixId: string;
  startedAt: string;
  durationMs: number;
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** IDs of the rows that differ, by kind of difference. */
  differences: Record<Difference, string[]>;
}

/** What the matrix gets per column: its report, or why there is none. */
export type ColumnOutcome =
  | { label: string; preRelease: boolean; reportDir: string; report: Report }
  | { label: string; preRelease: boolean; reportDir: string; runId: string; durationMs: number; error: string };

/**
 * Puts the columns' reports side by side. A column without a report (its cluster never started) has
 * every check failed with its reason: a check that did not run because something else broke is a
 * failure, and its row then differs from the columns that did run.
 */
export function buildMatrix(matrixId: string, startedAt: string, durationMs: number, outcomes: ColumnOutcome[], catalogOrder: readonly string[]): MatrixReport {
  const byId = outcomes.map((o) => ("report" in o ? new Map(o.report.checks.map((c) => [c.id, c])) : undefined));
  const template = outcomes.map((o) => ("report" in o ? o.report.checks : [])).find((checks) => checks.length > 0) ?? [];
  const templateById = new Map(template.map((c) => [c.id, c]));
  const columns: MatrixColumn[] = outcomes.map((o) => "report" in o
    ? { label: o.label, preRelease: o.preRelease, runId: o.report.runId, reportDir: o.reportDir, target: o.report.target, durationMs: o.report.durationMs, summary: o.report.summary }
    : { label: o.label, preRelease: o.preRelease, runId: o.runId, reportDir: o.reportDir, durationMs: o.durationMs, summary: summarize([]), error: o.error });
  const rows: MatrixRow[] = catalogOrder.filter((id) => templateById.has(id)).map((id) => {
    const base = templateById.get(id)!;
    const cells = outcomes.map((o, i): MatrixCell => {
      const check = byId[i]?.get(id);
      if (!check) return { result: "fail", reason: `not run: ${"error" in o ? o.error : "the column's report lacks this check"}`, statuses: [] };
      return {
        result: check.result,
        ...(check.reason ? { reason: check.reason } : {}),
        ...(check.docDrift ? { docDrift: check.docDrift } : {}),
        statuses: answerStatuses(check.evidence),
        evidence: check.evidence,
      };
    });
    const differs = difference(cells);
    // Evidence stays in the matrix only where it explains a difference; the columns' reports have the rest.
    const kept = differs ? cells : cells.map(({ evidence: _evidence, ...cell }) => cell);
    return { id, section: base.section, title: base.title, doc: base.doc, cells: kept, ...(differs ? { differs } : {}) };
  });
  for (const column of columns) {
    if (column.error) column.summary = summarize(rows.map((r) => ({ result: r.cells[columns.indexOf(column)]!.result }) as CheckResult));
  }
  const differences: Record<Difference, string[]> = { result: [], evidence: [], "doc-drift": [] };
  for (const row of rows) if (row.differs) differences[row.differs].push(row.id);
  return { schema: MATRIX_SCHEMA, matrixId, startedAt, durationMs, columns, rows, differences };
}

/**
 * The distinct statuses of the evidence, sorted, where an entry whose request the next entry repeats
 * does not count: a check that polls until an address answers records "curl exit 7" on one cluster
 * and not on another that was a second quicker, and that is no difference between them.
 */
export function answerStatuses(evidence: Evidence[]): string[] {
  const last = evidence.filter((entry, i) => evidence[i + 1]?.request !== entry.request);
  return [...new Set(last.map((e) => String(e.status)))].sort();
}

/**
 * Results first; then the evidence's statuses (the same result reached through different answers,
 * e.g. 401 on one minor and 403 on another); then the doc-drift notes. A check not selected is left
 * out of the comparison, as is a column that did not select it.
 */
export function difference(cells: MatrixCell[]): Difference | undefined {
  const compared = cells.filter((c) => c.result !== "not-selected");
  if (compared.length < 2) return undefined;
  const same = (key: (c: MatrixCell) => string) => new Set(compared.map(key)).size === 1;
  if (!same((c) => c.result)) return "result";
  if (!same((c) => c.statuses.join(" "))) return "evidence";
  // Numbers in a note are this run's ports and timings, not what the note says.
  if (!same((c) => (c.docDrift ?? "").replace(/\d+/g, "N"))) return "doc-drift";
  return undefined;
}

/** The matrix's closing line: each column's, and how many checks differ. */
export function matrixClosingLine(matrix: MatrixReport): string {
  const columns = matrix.columns.map((c) => `${c.label}: ${closingLine(c.summary)}`).join("; ");
  const differing = matrix.rows.filter((r) => r.differs).length;
  return `${columns}; ${differing} of ${matrix.rows.length} checks differ between columns`;
}
