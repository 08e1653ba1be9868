import { freemem } from "node:os";
import { join, resolve } from "node:path";
import { CATALOG } from "../catalog/catalog.ts";
import { ExitGuard } from "../cleanup/exit-guard.ts";
import { UsageError } from "../errors/usage-error.ts";
import { Progress } from "../log/progress.ts";
import { mapAtMost } from "../process/at-most.ts";
import { chooseProvider } from "../providers/choose-provider.ts";
import { buildMatrix, matrixClosingLine, type ColumnOutcome, type MatrixReport } from "../report/matrix-model.ts";
import { writeMatrixReport } from "../report/write-matrix-report.ts";
import type { ColumnSpec } from "./matrix-columns.ts";
import { ensureWritable, exitCode, newRunId, pointLatestAt, prepareClientsFor, runChecks, validateRun, type RunSupport } from "./run-checks.ts";
import { DEFAULT_WORKERS } from "./suite-runner.ts";

/**
 * What one three-node kind cluster with the suites' Pods holds in memory, measured with docker stats
 * on the benchmark machine (about 2.1 GB), with room for the suites' browser and proxies.
 */
const KIND_COLUMN_BYTES = 3 * 1024 ** 3;

/**
 * One run on several clusters (a column each: Kubernetes minors, node images or contexts): the same
 * checks on each, as many at once as memory allows, then one report with the columns side by side.
 * A column that cannot start fails its checks with the reason; the others still run.
 */
export async function runMatrix(columns: ColumnSpec[], { progress, guard }: RunSupport): Promise<{ code: number; matrix: MatrixReport }> {
  const selection = validateRun(columns[0]!.options);
  const providers = columns.map((c) => chooseProvider({ ...c.options, images: [c.options.fixtureImage, c.options.probeImage] }));
  for (const provider of providers) provider.validate();
  await Promise.all(providers.map((provider) => provider.preflight?.()));
  const startedAt = new Date();
  const matrixId = `${newRunId(startedAt)}-matrix`;
  const reportRoot = resolve(columns[0]!.options.reportDir);
  await ensureWritable(reportRoot);
  const matrixDir = join(reportRoot, matrixId);
  const clients = prepareClientsFor(selection.checkIds, progress, guard);
  const atOnce = providers[0]!.kind === "kind" ? Math.max(1, Math.floor(freemem() / KIND_COLUMN_BYTES)) : columns.length;
  const together = Math.min(atOnce, columns.length);
  progress.info(`matrix of ${columns.length} clusters (${columns.map(columnName).join(", ")}), ${together} at a time`);
  // The machine's CPUs serve every column's clusters and suites at once: the workers are shared out.
  const workers = columns[0]!.options.workers ?? Math.max(2, Math.round(DEFAULT_WORKERS / together));
  const outcomes = await mapAtMost(columns, atOnce, async (column, i): Promise<ColumnOutcome> => {
    const name = columnName(column);
    const columnProgress = new Progress((line) => process.stderr.write(`[${column.label}] ${line}\n`));
    // Each column releases only its own cleanups when it ends; an interrupt releases them all.
    const columnGuard = new ExitGuard((line) => columnProgress.info(line));
    guard.add(`column ${name}`, () => columnGuard.release());
    const reportDir = column.label.replace(/[^A-Za-z0-9_.-]/g, "_");
    const runId = `${matrixId}-${i + 1}`;
    const begin = Date.now();
    try {
      const { report } = await runChecks({ ...column.options, workers }, {
        progress: columnProgress,
        guard: columnGuard,
        column: { runId, reportDir: join(matrixDir, reportDir), clients, outputPrefix: `[${column.label}] ` },
      });
      return { label: column.label, preRelease: column.preRelease, reportDir, report };
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const why = (error as Error).message.split("\n")[0]!;
      columnProgress.info(`this cluster did not reach its checks: ${why}`);
      return { label: column.label, preRelease: column.preRelease, reportDir, runId, durationMs: Date.now() - begin, error: why };
    } finally {
      guard.remove(`column ${name}`);
    }
  });
  const matrix = buildMatrix(matrixId, startedAt.toISOString(), Date.now() - startedAt.getTime(), outcomes, CATALOG.map((e) => e.id));
  await writeMatrixReport(matrixDir, matrix);
  await pointLatestAt(reportRoot, matrixId, progress);
  progress.info(`matrix report: ${join(matrixDir, "matrix.html")}`);
  for (const kind of ["result", "evidence", "doc-drift"] as const) {
    if (matrix.differences[kind].length) progress.info(`${kind} differs between columns: ${matrix.differences[kind].join(" ")}`);
  }
  process.stdout.write(`${matrixClosingLine(matrix)}\n`);
  const failed = outcomes.some((o) => !("report" in o) || exitCode(o.report) !== 0);
  return { code: failed ? 1 : 0, matrix };
}

function columnName(column: ColumnSpec): string {
  return column.preRelease ? `${column.label} (pre-release)` : column.label;
}
