import type { CatalogEntry } from "../catalog/catalog.ts";
import type { Evidence } from "../ground/evidence.ts";
import type { PathLatency } from "../ground/path-latency.ts";
import type { TargetDescription } from "../ground/target.ts";
import type { ProxyKindLine } from "./proxy-kinds.ts";

/**
 * report.json, version 1. Consumers should check `schema` before reading: a new major version may
 * change any field. Documented field by field in reports/README.md.
 */
export const REPORT_SCHEMA = "kube-access-conformance/report@1";

/**
 * The catalog's result vocabulary, and `not-selected` for a check that --suite or --grep left out of
 * this run: the report still lists it, but it is neither a result nor a skip.
 */
export type Outcome = "pass" | "fail" | "warn" | "skip" | "n/a" | "not-selected";
export const OUTCOMES: readonly Outcome[] = ["pass", "fail", "warn", "skip", "n/a", "not-selected"];

export interface CheckResult {
  id: string;
  section: CatalogEntry["section"];
  title: string;
  doc: { page: string; anchor: string; url: string };
  result: Outcome;
  /** Why the result is not a plain pass (every non-pass has one). */
  reason?: string;
  /** The implementation differs from the documentation, and the check follows the implementation. */
  docDrift?: string;
  evidence: Evidence[];
  durationMs: number;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  runId: string;
  startedAt: string;
  durationMs: number;
  target: TargetDescription;
  summary: Record<Outcome, number>;
  checks: CheckResult[];
  /** With --baseline: the saved report compared against, and the checks that got worse. */
  baseline?: { runId: string; startedAt: string };
  regressions?: Regression[];
  /** With --baseline: access paths whose p50 or p95 grew beyond the allowed factor of the baseline's. */
  latencyRegressions?: LatencyRegression[];
  /** The kinds of proxy (access-cluster#many-proxies), each derived from its checks. */
  proxyKinds?: ProxyKindLine[];
  /** p50/p95 of a fixed request mix per access path, with the overhead against the direct path. */
  latency?: PathLatency[];
  /**
   * Where a check failed on a kind cluster: the nodes' logs (journals, components, events), as a
   * directory relative to the report's.
   */
  logs?: string;
  /** With a proxy under test: per check, what kubectl proxy and the proxy under test answered. */
  proxyComparison?: ProxyComparison[];
}

/** A check that passed (or was an accepted warn or n/a) in the baseline and fails now. */
export interface Regression {
  id: string;
  before: Outcome;
  now: Outcome;
  reason?: string;
}

/** An access path that got slower than the baseline allows (--latency-factor, 2 by default). */
export interface LatencyRegression {
  path: string;
  metric: "p50" | "p95";
  beforeMs: number;
  nowMs: number;
  /** The factor allowed; nowMs exceeded beforeMs times this (and by more than the noise floor). */
  factor: number;
}

export interface ProxyComparison {
  id: string;
  /** The statuses each proxy gave, in the order asked, e.g. "200 403". */
  kubectlProxy: string;
  proxyUnderTest: string;
  differs: boolean;
  /** What differed, where something did: the failed expectation (request, both values) or the statuses. */
  difference?: string;
}

export function summarize(checks: CheckResult[]): Record<Outcome, number> {
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const check of checks) summary[check.result] += 1;
  return summary;
}

/**
 * The plain closing line CI systems read: "N passed, N failed, N skipped", and how many checks the
 * selection left out where it left out any.
 */
export function closingLine(summary: Record<Outcome, number>): string {
  const passed = summary.pass + summary.warn + summary["n/a"];
  const left = summary["not-selected"];
  return `${passed} passed, ${summary.fail} failed, ${summary.skip} skipped${left ? `, ${left} not selected` : ""}`;
}
