import { readFileSync } from "node:fs";
import { UsageError } from "../errors/usage-error.ts";
import { REPORT_SCHEMA, type CheckResult, type Regression, type Report } from "./model.ts";

/** Reads a saved report.json to compare against; anything but this schema version is refused. */
export function loadBaseline(path: string): Report {
  let parsed: Partial<Report>;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Report>;
  } catch (error) {
    throw new UsageError(`baseline ${path} cannot be read as JSON (${(error as Error).message.split("\n")[0]})`, "pass a report.json written by kube-access-conformance");
  }
  if (parsed.schema !== REPORT_SCHEMA || !Array.isArray(parsed.checks)) {
    throw new UsageError(`baseline ${path} has schema ${JSON.stringify(parsed.schema ?? null)}, not ${REPORT_SCHEMA}`, "pass a report.json of this version, or run once without --baseline to make one");
  }
  return parsed as Report;
}

const ACCEPTED = new Set(["pass", "warn", "n/a"]);

/** Checks that were accepted in the baseline and fail now, in catalog order. */
export function findRegressions(baseline: Report, checks: CheckResult[]): Regression[] {
  const before = new Map(baseline.checks.map((c) => [c.id, c.result]));
  return checks
    .filter((c) => c.result === "fail" && ACCEPTED.has(before.get(c.id) ?? ""))
    .map((c) => ({ id: c.id, before: before.get(c.id)!, now: c.result, ...(c.reason ? { reason: c.reason } : {}) }));
}
