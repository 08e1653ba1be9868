#!/usr/bin/env node
import { join } from "node:path";
import { connectDockerHost } from "../kind/docker-host.ts";
import { clusterRunIds, exportClusterLogs, exportSummary } from "../kind/export-logs.ts";
import { ExitGuard } from "../cleanup/exit-guard.ts";
import { CLIENT_NAMES } from "../ground/prepared-clients.ts";
import { prepareClients } from "../clients/prepare-clients.ts";
import { UsageError } from "../errors/usage-error.ts";
import { ClusterStartError } from "../errors/cluster-start-error.ts";
import { chooseProvider, type ProviderChoice } from "../providers/choose-provider.ts";
import { Progress } from "../log/progress.ts";
import { redact } from "../log/redact.ts";
import { SONOBUOY_RESULTS_DIR_VARIABLE, writeSonobuoyResults } from "../sonobuoy/results.ts";
import { sonobuoyPlugin, sonobuoyPluginAccess } from "../sonobuoy/plugin-definition.ts";
import { jobManifest } from "../providers/in-cluster/job-manifest.ts";
import { describeRun } from "../run/dry-run.ts";
import type { ColumnSpec } from "../run/matrix-columns.ts";
import { runChecks, validateRun } from "../run/run-checks.ts";
import { runMatrix } from "../run/run-matrix.ts";
import { parseCommand, USAGE } from "./options.ts";

const progress = new Progress();
const guard = new ExitGuard((line) => progress.info(line));

async function main(argv: string[]): Promise<number> {
  const command = parseCommand(argv);
  switch (command.name) {
    case "help":
      process.stdout.write(USAGE);
      return 0;
    case "down":
      if (command.exportLogs) await exportKeptLogs(command.runId, command.exportLogs);
      return down(command.runId, command.provider);
    case "logs":
      progress.info(exportSummary(await exportClusterLogs(await connectDockerHost(), command.runId, command.dir)));
      return 0;
    case "prepare":
      return prepare();
    case "job-manifest":
      process.stdout.write(jobManifest({ image: command.image, namespace: command.namespace, args: command.runArgs }));
      return 0;
    case "sonobuoy-plugin":
      process.stdout.write(command.access ? sonobuoyPluginAccess() : sonobuoyPlugin({ image: command.image, args: command.runArgs }));
      return 0;
    case "run":
      if (command.options.dryRun) return dryRun(command.columns);
      guard.install();
      if (command.columns.length > 1) return (await runMatrix(command.columns, { progress, guard })).code;
      return (await runChecks(command.options, { progress, guard })).code;
  }
}

/** `run --dry-run`: the checks, the kind cluster and each suite's objects a run would create; creates nothing. */
function dryRun(columns: ColumnSpec[]): number {
  const selection = validateRun(columns[0]!.options);
  for (const column of columns) {
    if (columns.length > 1) process.stdout.write(`column ${column.label}${column.preRelease ? " (pre-release)" : ""}:\n`);
    for (const line of describeRun(selection, chooseProvider(column.options))) process.stdout.write(`${columns.length > 1 ? "  " : ""}${line}\n`);
  }
  return 0;
}

/**
 * Builds every client snippet into the cache, for machine preparation: the first run then finds them
 * ready. A build that fails here is reported and fails the command; the run would report it too.
 */
async function prepare(): Promise<number> {
  const clients = await prepareClients(CLIENT_NAMES, progress);
  return Object.values(clients).some((c) => c.state === "failed") ? 1 : 0;
}

/** Removes what earlier runs left, through the provider the options name (kind clusters by default). */
async function down(runId: string | undefined, choice: ProviderChoice): Promise<number> {
  progress.info(await chooseProvider(choice).down(runId));
  return 0;
}

/** `down --export-logs DIR`: the logs of the run named, or of every kept kind cluster (DIR/RUN each), before they go. */
async function exportKeptLogs(runId: string | undefined, dir: string): Promise<void> {
  const client = await connectDockerHost();
  const runs = runId ? [runId] : await clusterRunIds(client);
  for (const run of runs) progress.info(exportSummary(await exportClusterLogs(client, run, runId ? dir : join(dir, run))));
}

/**
 * Inside a Sonobuoy plugin, a run that ends before its report still owes Sonobuoy a result: a failed
 * test case saying why, and the `done` file (without it the worker waits for the aggregator's timeout).
 */
async function tellSonobuoy(why: string): Promise<void> {
  const resultsDir = process.env[SONOBUOY_RESULTS_DIR_VARIABLE];
  if (resultsDir) await writeSonobuoyResults(join(resultsDir, "no-report"), resultsDir, { error: why }).catch(() => undefined);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    await guard.release();
    if (error instanceof UsageError) {
      process.stderr.write(`${error.line()}\n`);
      await tellSonobuoy(error.line());
      process.exit(2);
    }
    if (error instanceof ClusterStartError) {
      // The environment, not the checks: exit 2, with what the node said for whoever debugs it.
      process.stderr.write(`${redact(error.detail).replace(/^/gm, "    ")}\nerror: ${error.message}; the lines above are ${error.detailSource}\n`);
      await tellSonobuoy(error.message);
      process.exit(2);
    }
    process.stderr.write(`internal error: ${(error as Error).stack ?? error}\n`);
    await tellSonobuoy(`internal error: ${(error as Error).message}`);
    process.exit(3);
  },
);
