import { readFileSync } from "node:fs";
import { UsageError } from "../errors/usage-error.ts";
import type { PathLatency } from "../ground/path-latency.ts";
import { REPORT_SCHEMA, type CheckResult, type LatencyRegression, type Regression, type Report } from "./model.ts";

/** Reads a saved report.json (to compare against, or to read); anything but this schema version is refused. */
export function loadBaseline(path: string, what: "baseline" | "report" = "baseline"): Report {
  let parsed: Partial<Report>;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Report>;
  } catch (error) {
    throw new UsageError(`${what} ${path} cannot be read as JSON (${(error as Error).message.split("\n")[0]})`, "pass a report.json written by kube-access-conformance");
  }
  if (parsed.schema !== REPORT_SCHEMA || !Array.isArray(parsed.checks)) {
    throw new UsageError(`${what} ${path} has schema ${JSON.stringify(parsed.schema ?? null)}, not ${REPORT_SCHEMA}`, "pass a report.json of this version, or run once without --baseline to make one");
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

/**
 * Differences below this many milliseconds are never latency regressions: on loopback a path's p50 is a
 * few milliseconds, and on a busy machine a scheduler hiccup can triple a p95 of 30 samples (seen: 3.5 ms
 * to 9.9 ms) without anything having got slower.
 */
export const LATENCY_NOISE_FLOOR_MS = 10;

/** Paths measured in both runs whose p50 or p95 now exceeds `factor` times the baseline's. */
export function findLatencyRegressions(baseline: Report, now: readonly PathLatency[], factor: number): LatencyRegression[] {
  const before = new Map((baseline.latency ?? []).map((l) => [l.path, l]));
  return now.flatMap((current) => {
    const old = before.get(current.path);
    if (!old || "unmeasured" in old || "unmeasured" in current) return [];
    return (["p50", "p95"] as const)
      .filter((metric) => {
        const [was, is] = [old[`${metric}Ms`], current[`${metric}Ms`]];
        return is > was * factor && is - was > LATENCY_NOISE_FLOOR_MS;
      })
      .map((metric) => ({ path: current.path, metric, beforeMs: old[`${metric}Ms`], nowMs: current[`${metric}Ms`], factor }));
  });
}
