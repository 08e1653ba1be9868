/**
 * The programmatic API of kube-access-conformance (the package's main export).
 *
 *   import { KindCluster, runChecks, readReport } from "kube-access-conformance";
 *
 *   const cluster = await new KindCluster().start();       // a kind cluster through Testcontainers
 *   try {
 *     const { code, report } = await runChecks({
 *       kubeconfig: cluster.kubeconfigPath, allowContext: cluster.contextName, suites: ["kubeconfig"],
 *     });
 *   } finally {
 *     await cluster.teardown();
 *   }
 *   const saved = readReport("reports/latest/report.json");
 */
import { ExitGuard } from "./cleanup/exit-guard.ts";
import { Progress } from "./log/progress.ts";
import { loadBaseline } from "./report/baseline.ts";
import type { Report } from "./report/model.ts";
import { runChecks as runWithSupport } from "./run/run-checks.ts";
import { DEFAULT_FIXTURE_IMAGE, DEFAULT_PROBE_IMAGE } from "./ground/suite-images.ts";
import type { RunOptions } from "./run/run-options.ts";
import { DEFAULT_KIND_CONFIG } from "./paths.ts";

export { KindCluster, StartedKindCluster, type KindClusterOptions } from "./kind/cluster.ts";
export { ClusterStartError } from "./errors/cluster-start-error.ts";
export { loadClusterConfig, type ClusterConfig } from "./kind/cluster-config.ts";
export { CATALOG, type CatalogEntry } from "./catalog/catalog.ts";
export { UsageError } from "./errors/usage-error.ts";
export type { Report, CheckResult, Outcome } from "./report/model.ts";
export type { Evidence } from "./ground/evidence.ts";
export type { RunOptions } from "./run/run-options.ts";

/**
 * Runs the checks as `kube-access-conformance run` does, with the CLI's defaults for what is not
 * given (a kind cluster of the package's kind-config.yaml when no kubeconfig is named; reports in
 * ./reports). Everything the run creates is removed before it resolves. Bad input rejects with a
 * UsageError, whose `line()` is what the CLI prints.
 */
export async function runChecks(options: Partial<RunOptions> = {}, progress = new Progress()): Promise<{ code: number; report: Report }> {
  const guard = new ExitGuard((line) => progress.info(line));
  return runWithSupport({
    kindConfig: DEFAULT_KIND_CONFIG,
    fixtureImage: DEFAULT_FIXTURE_IMAGE,
    probeImage: DEFAULT_PROBE_IMAGE,
    reportDir: "reports",
    keep: false,
    inCluster: false,
    allowInCluster: false,
    dryRun: false,
    suites: [],
    latencyFactor: 2,
    ...options,
  }, { progress, guard });
}

/** Reads a saved report.json, refusing anything but this schema version. */
export function readReport(path: string): Report {
  return loadBaseline(path, "report");
}
