import { CATALOG, docUrl } from "../catalog/catalog.ts";
import type { CheckResult, Evidence, Outcome } from "./model.ts";

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
 * Turns finished checks into the report's results, one per catalog entry and in catalog order: a check
 * that did not run is a `skip` that says why, so the report always covers the whole catalog.
 */
export function toCheckResults(finished: FinishedCheck[], notRunReason: (id: string) => string): CheckResult[] {
  return CATALOG.map((entry) => {
    const base = { id: entry.id, section: entry.section, title: entry.title, doc: { page: entry.page, anchor: entry.anchor, url: docUrl(entry) } };
    const run = finished.find((f) => f.id === entry.id);
    if (!run) return { ...base, result: "skip", reason: notRunReason(entry.id), evidence: [], durationMs: 0 };
    const note = (type: string) => run.annotations.find((a) => a.type === type)?.description;
    const [result, reason] = outcome(run, note);
    const docDrift = note(DOC_DRIFT);
    return { ...base, result, ...(reason ? { reason } : {}), ...(docDrift ? { docDrift } : {}), evidence: run.evidence, durationMs: run.durationMs };
  });
}

function outcome(run: FinishedCheck, note: (type: string) => string | undefined): [Outcome, string | undefined] {
  switch (run.status) {
    case "passed":
      if (note(NOT_APPLICABLE) !== undefined) return ["n/a", note(NOT_APPLICABLE)];
      if (note(WARN) !== undefined) return ["warn", note(WARN)];
      return ["pass", undefined];
    case "skipped":
      return ["skip", note("skip") || "skipped"];
    case "timedOut":
      return ["fail", `timed out${run.error ? `: ${run.error}` : ""}`];
    default:
      return ["fail", run.error ?? run.status];
  }
}
