import { CATALOG, docUrl } from "../catalog/catalog.ts";
import type { CheckResult, Outcome } from "./model.ts";
import type { Evidence } from "../ground/evidence.ts";

/** What one finished check reported, before it is matched against the catalog. */
export interface FinishedCheck {
  id: string;
  status: "passed" | "failed" | "timedOut" | "skipped" | "interrupted";
  /** Playwright annotations: kac:warn, kac:n/a, kac:doc-drift, skip (type) with their descriptions. */
  annotations: { type: string; description?: string }[];
  evidence: Evidence[];
  error?: string;
  durationMs: number;
}

/** Annotation types the suites use to give a passing check the catalog's other outcomes. */
export const WARN = "kac:warn";
export const NOT_APPLICABLE = "kac:n/a";
export const DOC_DRIFT = "kac:doc-drift";

/**
 * Turns finished checks into the report's results, one per catalog entry and in catalog order, so the
 * report always covers the whole catalog. A selected check that did not run is a `fail` that says why
 * (something else broke, or the run was cut short); a check the selection left out is `not-selected`.
 */
export function toCheckResults(finished: FinishedCheck[], selected: ReadonlySet<string>, notRunReason: string): CheckResult[] {
  return CATALOG.map((entry) => {
    const base = { id: entry.id, section: entry.section, title: entry.title, doc: { page: entry.page, anchor: entry.anchor, url: docUrl(entry) } };
    if (!selected.has(entry.id)) return { ...base, result: "not-selected", reason: "left out by --suite or --grep", evidence: [], durationMs: 0 };
    const run = finished.find((f) => f.id === entry.id);
    if (!run) return { ...base, result: "fail", reason: notRunReason, evidence: [], durationMs: 0 };
    const note = (type: string) => run.annotations.find((a) => a.type === type)?.description;
    const [result, reason] = outcome(run, note, firstFailure(finished, entry.section));
    const docDrift = note(DOC_DRIFT);
    return { ...base, result, ...(reason ? { reason } : {}), ...(docDrift ? { docDrift } : {}), evidence: run.evidence, durationMs: run.durationMs };
  });
}

/** The first check of a section that failed: what a check Playwright did not run was waiting on. */
function firstFailure(finished: FinishedCheck[], section: string): FinishedCheck | undefined {
  return finished.find((f) => CATALOG.find((e) => e.id === f.id)?.section === section && (f.status === "failed" || f.status === "timedOut"));
}

function outcome(run: FinishedCheck, note: (type: string) => string | undefined, blocker: FinishedCheck | undefined): [Outcome, string | undefined] {
  switch (run.status) {
    case "passed":
      if (note(NOT_APPLICABLE) !== undefined) return ["n/a", note(NOT_APPLICABLE)];
      if (note(WARN) !== undefined) return ["warn", note(WARN)];
      return ["pass", undefined];
    case "skipped":
      // A check skips itself only with a reason (a missing toolchain or runtime). Without one, Playwright
      // did not run it because its suite's setup or an earlier serial check failed: that is a failure.
      if (run.annotations.some((a) => a.type === "skip")) return ["skip", note("skip") || "skipped without a reason"];
      return ["fail", `not run: ${blocker ? `${blocker.id} failed before it (${blocker.error ?? blocker.status})` : "its suite's setup failed"}`];
    case "timedOut":
      return ["fail", `timed out${run.error ? `: ${run.error}` : ""}`];
    default:
      return ["fail", run.error ?? run.status];
  }
}
