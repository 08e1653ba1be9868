import { readFileSync } from "node:fs";
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { loadRunContext } from "../ground/run-context.ts";
import { untilSettled } from "../ground/settled-file.ts";
import { measureAccessPaths } from "../latency/access-paths.ts";
import { findLatencyRegressions, findRegressions, loadBaseline } from "./baseline.ts";
import { toCheckResults, type FinishedCheck } from "./check-results.ts";
import { compareProxies } from "./proxy-comparison.ts";
import type { Screenshots } from "./html.ts";
import { REPORT_SCHEMA, summarize, type Report } from "./model.ts";
import { type Evidence } from "../ground/evidence.ts";
import type { PathLatency } from "../ground/path-latency.ts";
import { proxyKinds } from "./proxy-kinds.ts";
import { writeReport } from "./write-report.ts";

/** Rounds of the latency request mix per run: 30 requests a path, a few seconds in all. */
const LATENCY_ROUNDS = 10;

/**
 * Playwright reporter that turns the suites' results into the compatibility report. A check's test
 * title starts with its catalog ID; its evidence arrives as an "evidence" JSON attachment and its
 * screenshots as PNG attachments.
 */
export default class ComplianceReporter implements Reporter {
  private readonly finished: FinishedCheck[] = [];
  private readonly screenshots: Screenshots = new Map();

  onTestEnd(test: TestCase, result: TestResult): void {
    const id = test.title.split(" ")[0]!;
    const evidence: Evidence[] = result.attachments
      .filter((a) => a.name === "evidence" && a.body)
      .flatMap((a) => JSON.parse(a.body!.toString("utf8")) as Evidence[]);
    const shots = result.attachments
      .filter((a) => a.contentType === "image/png")
      .map((a) => a.body ?? readFileSync(a.path!));
    if (shots.length) this.screenshots.set(id, shots);
    this.finished.push({
      id,
      status: result.status,
      annotations: [...test.annotations, ...result.annotations],
      evidence,
      error: result.error?.message?.split("\n").slice(0, 4).join(" ").replace(/\u001b\[[0-9;]*m/g, ""),
      durationMs: result.duration,
    });
  }

  async onEnd(result: FullResult): Promise<void> {
    const run = loadRunContext();
    const notRun = result.status === "interrupted" ? "not run: the run was interrupted" : "not run: no suite implements it (a defect of the harness)";
    const checks = toCheckResults(this.finished, new Set(run.selectedChecks), notRun);
    const baseline = run.baselinePath ? loadBaseline(run.baselinePath) : undefined;
    const comparison = compareProxies(checks);
    const summary = summarize(checks);
    // Timed once the suites are done, so that they did not wait for it, and once the cluster has
    // settled: the service-proxy path asks the DNS Service, which suites that run no Pod never waited
    // for. Not after an interrupt. Latency is a figure, not a check: a proxy that would not start for
    // it, or a start that did not settle, is said, not a lost report.
    const latency = result.status === "interrupted" ? undefined : await untilSettled(run.clusterSettledFile)
      .then(() => measureAccessPaths(run, LATENCY_ROUNDS))
      .catch((error: Error): PathLatency[] => [{ path: "every path", unmeasured: error.message.split("\n")[0]! }]);
    const report: Report = {
      schema: REPORT_SCHEMA,
      runId: run.runId,
      startedAt: run.startedAt,
      durationMs: Date.now() - Date.parse(run.startedAt),
      target: run.target,
      summary,
      checks,
      ...(run.logsOnFailure && summary.fail > 0 ? { logs: run.logsOnFailure } : {}),
      proxyKinds: proxyKinds(checks, run.apiServerFront),
      ...(baseline ? {
        baseline: { runId: baseline.runId, startedAt: baseline.startedAt },
        regressions: findRegressions(baseline, checks),
        latencyRegressions: findLatencyRegressions(baseline, latency ?? [], run.latencyFactor),
      } : {}),
      ...(comparison.length ? { proxyComparison: comparison } : {}),
      ...(latency ? { latency } : {}),
    };
    await writeReport(run.reportDir, report, this.screenshots);
  }

  printsToStdio(): boolean {
    return false;
  }
}
