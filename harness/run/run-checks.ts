import { stopProcess } from "../process/stop-process.ts";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { prepareClients } from "../clients/prepare-clients.ts";
import { clientsFor } from "../clients/client-build.ts";
import { removeRunNamespaces } from "../cleanup/cluster-debris.ts";
import type { ExitGuard } from "../cleanup/exit-guard.ts";
import { UsageError } from "../errors/usage-error.ts";
import { measureAccessPaths } from "../latency/access-paths.ts";
import type { Progress } from "../log/progress.ts";
import { ProxyUnderTest } from "../proxy/proxy-under-test.ts";
import { loadBaseline } from "../report/baseline.ts";
import { pointLatest } from "../report/latest-link.ts";
import { closingLine, type Report } from "../report/model.ts";
import { chooseProvider } from "../providers/choose-provider.ts";
import { detectApiServerFront } from "./api-server-front.ts";
import { SONOBUOY_RESULTS_DIR_VARIABLE, writeSonobuoyResults } from "../sonobuoy/results.ts";
import type { RunContext } from "../ground/run-context.ts";
import type { RunOptions } from "./run-options.ts";
import { selectChecks } from "./selection.ts";
import { checkSuiteNames, runSuites } from "./suite-runner.ts";

/** Rounds of the latency request mix per run: 30 requests a path, a few seconds in all. */
const LATENCY_ROUNDS = 10;

/** What a run reports progress to, and registers its cleanups with. */
export interface RunSupport {
  progress: Progress;
  guard: ExitGuard;
}

/**
 * One run: the target (from the provider the options choose), the client snippets, the latency
 * figures, the suites, the report; everything it created is removed on every way out (the guard).
 * Resolves with the exit code (1 for a failed or regressed check) and the report.
 */
export async function runChecks(options: RunOptions, { progress, guard }: RunSupport): Promise<{ code: number; report: Report }> {
  checkSuiteNames(options.suites);
  const selection = selectChecks(options.suites, options.grep);
  if (options.baseline) loadBaseline(options.baseline);
  const provider = chooseProvider({ ...options, images: [options.fixtureImage, options.probeImage] });
  provider.validate();
  const startedAt = new Date();
  const runId = `${startedAt.toISOString().replace(/[:.]/g, "-").slice(0, 19)}-${process.pid}`;
  const reportRoot = resolve(options.reportDir);
  const runDir = join(reportRoot, runId);
  await ensureWritable(reportRoot);
  // Credentials (kubeconfigs) live in a private work directory, never next to the reports.
  const workDir = await mkdtemp(join(tmpdir(), "kac-run-"));
  if (!options.keep) guard.add("work directory", () => rm(workDir, { recursive: true, force: true }));
  // The client snippets build while the cluster starts; on any way out the builds stop and leave nothing.
  const stopBuilds = new AbortController();
  const clientsReady = prepareClients(clientsFor(selection.checkIds), progress, stopBuilds.signal);
  guard.add("client builds", async () => {
    stopBuilds.abort();
    await clientsReady;
  });
  try {
    const target = await provider.start({ workDir, progress, guard });
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
      selectedChecks: selection.checkIds,
      clients: await clientsReady,
      ...(options.baseline ? { baselinePath: resolve(options.baseline) } : {}),
      latencyFactor: options.latencyFactor,
      ...(options.proxyUrl || options.proxyCommand ? { proxyUnderTest: { url: options.proxyUrl, command: options.proxyCommand } } : {}),
      target: {
        kind: target.kind, server: target.server, context: target.contextName, serverVersion: target.serverVersion,
        ...(target.nodeImage ? { nodeImage: target.nodeImage } : {}),
        ...(target.clusterStartMs ? { clusterStartMs: target.clusterStartMs } : {}),
      },
    };
    if (runContext.proxyUnderTest) await preflightProxy(runContext);
    runContext.apiServerFront = await detectApiServerFront(runContext.kubeconfigPath);
    runContext.latency = await progress.phase("latency per access path", () => measureAccessPaths(runContext, LATENCY_ROUNDS));
    const runFile = join(runDir, "run.json");
    await mkdir(runDir, { recursive: true });
    await writeFile(runFile, JSON.stringify(runContext, null, 2));
    // The suites' runner is stopped and waited for on every way out: nothing creates objects while cleanup runs.
    await runSuites(runFile, workDir, selection.suites, (child) => guard.add("suites", () => stopProcess(child)));
    guard.remove("suites");
    const report = JSON.parse(await readFile(join(runDir, "report.json"), "utf8")) as Report;
    const sonobuoyResults = process.env[SONOBUOY_RESULTS_DIR_VARIABLE];
    if (sonobuoyResults) progress.info(`Sonobuoy results: ${await writeSonobuoyResults(runDir, sonobuoyResults)}`);
    await pointLatest(reportRoot, runId).then(
      (movedAside) => movedAside && progress.info(`${join(reportRoot, "latest")} was a directory: moved aside to ${movedAside}`),
      (error: unknown) => process.stderr.write(`warning: ${(error as UsageError).message}; ${(error as UsageError).hint}\n`),
    );
    progress.info(`report: ${join(runDir, "report.html")}`);
    if (target.keepNote) process.stderr.write(`${target.keepNote}\n`);
    for (const regression of report.regressions ?? []) progress.info(`regression: ${regression.id} was ${regression.before}, now ${regression.now}`);
    for (const slower of report.latencyRegressions ?? []) progress.info(`regression: ${slower.path} ${slower.metric} ${slower.beforeMs} ms, now ${slower.nowMs} ms (more than ×${slower.factor})`);
    process.stdout.write(`${closingLine(report.summary)}\n`);
    const regressed = (report.regressions?.length ?? 0) + (report.latencyRegressions?.length ?? 0);
    return { code: report.summary.fail > 0 || regressed > 0 ? 1 : 0, report };
  } finally {
    await guard.release();
  }
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

async function ensureWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.write-probe-${process.pid}`);
    await writeFile(probe, "");
    await rm(probe);
  } catch {
    throw new UsageError(`report directory ${dir} is not writable`, "pass a writable directory with --report-dir");
  }
}

