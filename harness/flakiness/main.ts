#!/usr/bin/env node
/**
 * `npm run flakiness -- [--runs N] [--at-once K] [--suite NAME]...`: runs the suites N times (default
 * 5) against one kind cluster, K runs at a time (default 1; each run has its own namespaces), and lists
 * every check whose result changed between runs. A check that flips is a defect of the harness (a
 * race, a missing wait), whatever its result says about the cluster.
 */
import { mapAtMost } from "../process/at-most.ts";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ExitGuard } from "../cleanup/exit-guard.ts";
import { Progress } from "../log/progress.ts";
import type { Report } from "../report/model.ts";
import { prepareCluster } from "../providers/kind/prepared-cluster.ts";

const CLI = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, "at-once": { type: "string", default: "1" }, suite: { type: "string", multiple: true } } });
const runs = Number(values.runs);
const atOnce = Number(values["at-once"]);
if (!Number.isInteger(runs) || runs < 2 || !Number.isInteger(atOnce) || atOnce < 1) {
  process.stderr.write("error: --runs takes a whole number of at least 2 (results are compared between runs) and --at-once one of at least 1\n");
  process.exit(2);
}
const progress = new Progress();
const guard = new ExitGuard((line) => progress.info(line));
guard.install();

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "kac-flakiness-"));
  guard.add("directory", () => rm(dir, { recursive: true, force: true }));
  const { kubectl, targetArgs } = await prepareCluster(dir, progress, (cluster) => guard.add("kind cluster", () => cluster.teardown()));
  const reports = await mapAtMost(Array.from({ length: runs }, (_, i) => i + 1), atOnce, async (i): Promise<Report> => {
    const reportDir = join(dir, `reports-${i}`);
    const args = [CLI, "run", ...targetArgs, "--report-dir", reportDir, ...(values.suite ?? []).flatMap((s) => ["--suite", s])];
    await progress.phase(`run ${i} of ${runs}`, () => new Promise((resolve) => {
      spawn(process.execPath, args, { stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, KAC_KUBECTL: kubectl } }).on("exit", resolve);
    }));
    return JSON.parse(await readFile(join(reportDir, "latest", "report.json"), "utf8")) as Report;
  });
  const results = new Map<string, string[]>();
  for (const report of reports) {
    for (const check of report.checks) results.set(check.id, [...(results.get(check.id) ?? []), check.result]);
  }
  const flipped = [...results].filter(([, outcomes]) => new Set(outcomes).size > 1);
  process.stdout.write(`${runs} runs, ${results.size} checks: ${flipped.length ? `${flipped.length} changed` : "none changed"}\n`);
  for (const [id, outcomes] of flipped) process.stdout.write(`  ${id}: ${outcomes.join(" ")}\n`);
  return flipped.length ? 1 : 0;
}

main().then(async (code) => {
  await guard.release();
  process.exit(code);
}, async (error: Error) => {
  await guard.release();
  process.stderr.write(`flakiness failed: ${error.message}\n`);
  process.exit(2);
});
