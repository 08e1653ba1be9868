import { stopProcess } from "../process/stop-process.ts";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { prepareClients } from "../clients/prepare-clients.ts";
import { clientsFor } from "../clients/client-build.ts";
import { removeRunNamespaces } from "../cleanup/cluster-debris.ts";
import type { ExitGuard } from "../cleanup/exit-guard.ts";
import { UsageError } from "../errors/usage-error.ts";
import { recordSettled } from "../ground/settled-file.ts";
import type { Progress } from "../log/progress.ts";
import { ProxyUnderTest } from "../proxy/proxy-under-test.ts";
import { loadBaseline } from "../report/baseline.ts";
import { pointLatest } from "../report/latest-link.ts";
import { closingLine, type Report } from "../report/model.ts";
import { chooseProvider } from "../providers/choose-provider.ts";
import type { ClusterProvider } from "../providers/provider.ts";
import { detectApiServerFront } from "./api-server-front.ts";
import { SONOBUOY_RESULTS_DIR_VARIABLE, writeSonobuoyResults } from "../sonobuoy/results.ts";
import type { RunContext } from "../ground/run-context.ts";
import type { PreparedClients } from "../ground/prepared-clients.ts";
import type { RunOptions } from "./run-options.ts";
import { selectChecks, type Selection } from "./selection.ts";
import { checkSuiteNames, runSuites } from "./suite-runner.ts";

/** The nodes' logs, inside a run's report directory, where a check failed or the cluster did not start. */
const LOGS_DIR = "logs";

/** What a run reports progress to, and registers its cleanups with. */
export interface RunSupport {
  progress: Progress;
  guard: ExitGuard;
  /** Set where the run is one column of a matrix (run-matrix.ts). */
  column?: ColumnPlace;
}

/** A matrix column's place: its run ID and report directory inside the matrix's, the shared client builds. */
export interface ColumnPlace {
  runId: string;
  reportDir: string;
  /** The client snippets build once for every column (one cache, one build). */
  clients: Promise<PreparedClients>;
  /** Prefixes the suites' output, which would otherwise interleave between columns. */
  outputPrefix: string;
}

/**
 * One run: the target (from the provider the options choose), the client snippets, the latency
 * figures, the suites, the report; everything it created is removed on every way out (the guard).
 * Resolves with the exit code (1 for a failed or regressed check) and the report.
 */
export async function runChecks(options: RunOptions, { progress, guard, column }: RunSupport): Promise<{ code: number; report: Report }> {
  const selection = validateRun(options);
  const provider = chooseProvider({ ...options, images: [options.fixtureImage, options.probeImage] });
  provider.validate();
  const startedAt = new Date();
  const runId = column?.runId ?? newRunId(startedAt);
  const reportRoot = resolve(options.reportDir);
  const runDir = column?.reportDir ?? join(reportRoot, runId);
  await ensureWritable(reportRoot);
  // Credentials (kubeconfigs) live in a private work directory, never next to the reports.
  const workDir = await mkdtemp(join(tmpdir(), "kac-run-"));
  if (!options.keep) guard.add("work directory", () => rm(workDir, { recursive: true, force: true }));
  const clientsReady = column?.clients ?? prepareClientsFor(selection.checkIds, progress, guard);
  try {
    const target = await provider.start({ workDir, progress, guard }).catch(async (error: unknown) => {
      // A start that failed on the nodes' side (not bad input): what they logged is what explains it.
      if (!(error instanceof UsageError)) await exportLogs(provider, join(runDir, LOGS_DIR), progress);
      throw error;
    });
    const settledFile = join(workDir, "cluster-settled");
    const settling = target.settled && recordSettled(target.settled, settledFile);
    // Registered before the suites start and run on every way out, after the suites' runner is gone.
    // A cluster that is about to be removed takes its namespaces along.
    if (target.outlivesRun) {
      guard.add("namespaces of the run", async () => {
        const removed = await removeRunNamespaces(target.kubeconfigPath, runId);
        if (removed) progress.info(`removed ${removed} namespaces the suites had left`);
      });
    }
    progress.info(`target: ${target.kind} cluster ${target.server} (context ${target.contextName}, Kubernetes ${target.serverVersion})`);
    const runContext: RunContext = {
      runId,
      startedAt: startedAt.toISOString(),
      reportDir: runDir,
      kubeconfigPath: resolve(target.kubeconfigPath),
      contextName: target.contextName,
      kubectl: target.kubectl,
      fixtureImage: options.fixtureImage,
      probeImage: options.probeImage,
      nodePortMappings: target.publishedPorts,
      clusterOutlivesRun: target.outlivesRun,
      ...(settling ? { clusterSettledFile: settledFile } : {}),
      selectedChecks: selection.checkIds,
      clients: await clientsReady,
      ...(options.baseline ? { baselinePath: resolve(options.baseline) } : {}),
      latencyFactor: options.latencyFactor,
      ...(provider.exportLogs ? { logsOnFailure: LOGS_DIR } : {}),
      ...(options.proxyUrl || options.proxyCommand ? { proxyUnderTest: { url: options.proxyUrl, command: options.proxyCommand } } : {}),
      target: {
        kind: target.kind, server: target.server, context: target.contextName, serverVersion: target.serverVersion,
        ...(target.nodeImage ? { nodeImage: target.nodeImage } : {}),
        ...(target.clusterStartMs ? { clusterStartMs: target.clusterStartMs } : {}),
      },
    };
    if (runContext.proxyUnderTest) await preflightProxy(runContext);
    runContext.apiServerFront = await detectApiServerFront(runContext.kubeconfigPath);
    const runFile = join(runDir, "run.json");
    await mkdir(runDir, { recursive: true });
    await writeFile(runFile, JSON.stringify(runContext, null, 2));
    // The suites' runner is stopped and waited for on every way out: nothing creates objects while cleanup runs.
    await runSuites(runFile, workDir, selection.suites, (child) => guard.add("suites", () => stopProcess(child)), { outputPrefix: column?.outputPrefix, workers: options.workers });
    guard.remove("suites");
    // A start that failed after Ready fails the run as a start that failed before it would have.
    await settling?.catch(async (error: unknown) => {
      await exportLogs(provider, join(runDir, LOGS_DIR), progress);
      throw error;
    });
    const report = JSON.parse(await readFile(join(runDir, "report.json"), "utf8")) as Report;
    if (report.logs) await exportLogs(provider, join(runDir, report.logs), progress);
    if (!column) await publish(report, runDir, reportRoot, progress);
    if (target.keepNote) process.stderr.write(`${target.keepNote}\n`);
    for (const regression of report.regressions ?? []) progress.info(`regression: ${regression.id} was ${regression.before}, now ${regression.now}`);
    for (const slower of report.latencyRegressions ?? []) progress.info(`regression: ${slower.path} ${slower.metric} ${slower.beforeMs} ms, now ${slower.nowMs} ms (more than ×${slower.factor})`);
    if (column) progress.info(closingLine(report.summary));
    else process.stdout.write(`${closingLine(report.summary)}\n`);
    return { code: exitCode(report), report };
  } finally {
    await guard.release();
  }
}

/** What needs no cluster: the suites and checks selected, the baseline readable. Returns the selection. */
export function validateRun(options: RunOptions): Selection {
  checkSuiteNames(options.suites);
  const selection = selectChecks(options.suites, options.grep);
  if (options.baseline) loadBaseline(options.baseline);
  return selection;
}

/** A run's ID: its start time and the process, which keeps two runs of one second apart. */
export function newRunId(startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[:.]/g, "-").slice(0, 19)}-${process.pid}`;
}

/** 1 for a failed or regressed check, else 0. */
export function exitCode(report: Report): number {
  const regressed = (report.regressions?.length ?? 0) + (report.latencyRegressions?.length ?? 0);
  return report.summary.fail > 0 || regressed > 0 ? 1 : 0;
}

/**
 * The client snippets build while the cluster starts; on any way out the builds stop and leave nothing.
 */
export function prepareClientsFor(checkIds: readonly string[], progress: Progress, guard: ExitGuard): Promise<PreparedClients> {
  const stopBuilds = new AbortController();
  const clientsReady = prepareClients(clientsFor(checkIds), progress, stopBuilds.signal);
  guard.add("client builds", async () => {
    stopBuilds.abort();
    await clientsReady;
  });
  return clientsReady;
}

/** A single run's report, where users and Sonobuoy look for it: the `latest` link, the results directory. */
async function publish(report: Report, runDir: string, reportRoot: string, progress: Progress): Promise<void> {
  const sonobuoyResults = process.env[SONOBUOY_RESULTS_DIR_VARIABLE];
  if (sonobuoyResults) progress.info(`Sonobuoy results: ${await writeSonobuoyResults(runDir, sonobuoyResults)}`);
  await pointLatestAt(reportRoot, report.runId, progress);
  progress.info(`report: ${join(runDir, "report.html")}`);
}

/** reports/latest → the newest run (or matrix); a warning, not a failure, where that cannot be done. */
export async function pointLatestAt(reportRoot: string, name: string, progress: Progress): Promise<void> {
  await pointLatest(reportRoot, name).then(
    (movedAside) => movedAside && progress.info(`${join(reportRoot, "latest")} was a directory: moved aside to ${movedAside}`),
    (error: unknown) => process.stderr.write(`warning: ${(error as UsageError).message}; ${(error as UsageError).hint}\n`),
  );
}

/**
 * Starts the proxy under test once before any suite, so that a proxy that does not start is one clear
 * line (exit 2) rather than a failure of every check that uses it.
 */
async function preflightProxy(run: RunContext): Promise<void> {
  try {
    const proxy = await ProxyUnderTest.start(run);
    await proxy?.stop();
  } catch (error) {
    throw new UsageError(`the proxy under test did not start: ${(error as Error).message.split("\n")[0]}`, "check --proxy-command (or that --proxy-url answers GET /api/)");
  }
}

export async function ensureWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.write-probe-${process.pid}`);
    await writeFile(probe, "");
    await rm(probe);
  } catch {
    throw new UsageError(`report directory ${dir} is not writable`, "pass a writable directory with --report-dir");
  }
}


/**
 * The nodes' logs, where the provider has nodes (kind). Never fails the run's ending: the report and the
 * run's own error matter more, so a failed export is a line saying why, and the directory says it too.
 */
async function exportLogs(provider: ClusterProvider, dir: string, progress: Progress): Promise<void> {
  if (!provider.exportLogs) return;
  try {
    progress.info(await provider.exportLogs(dir));
  } catch (error) {
    const why = (error as Error).message.split("\n")[0];
    progress.info(`the nodes' logs could not be exported: ${why}`);
    await mkdir(dir, { recursive: true }).then(() => writeFile(join(dir, "EXPORT-FAILED.txt"), `${why}\n`)).catch(() => undefined);
  }
}
