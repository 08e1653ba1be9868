#!/usr/bin/env node
/**
 * `npm run bench`: what the harness costs on this machine, measured, not asserted. Starts the default
 * kind cluster from kind-config.yaml, then runs the suites against it (all at once, and each alone),
 * and times a fixed request mix over every access path. Prints a table and writes it as JSON to
 * reports/bench/. Options: --rounds N (latency rounds, default 30), --proxy-url URL (also time a
 * proxy under test).
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ExitGuard } from "../cleanup/exit-guard.ts";
import { Progress } from "../log/progress.ts";
import { suiteNames } from "../run/suite-runner.ts";
import { prepareCluster } from "../target/prepared-cluster.ts";
import { measureAccessPaths } from "../latency/access-paths.ts";
import { latencyCells, type PathLatency } from "../latency/latency.ts";
import { ProcessTreeMemory } from "./process-memory.ts";

const CLI = new URL("../cli/main.ts", import.meta.url).pathname;
const { values } = parseArgs({ options: { rounds: { type: "string", default: "30" }, "proxy-url": { type: "string" } } });
const rounds = Number(values.rounds);
const progress = new Progress();
const guard = new ExitGuard((line) => progress.info(line));
guard.install();

interface TimedRun {
  what: string;
  seconds: number;
  peakMb: number;
  exitCode: number | null;
}

/** Runs the CLI against the kept cluster, timing it and sampling its process tree's memory. */
async function timeCli(what: string, args: string[], env: NodeJS.ProcessEnv): Promise<TimedRun> {
  const began = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });
  const memory = new ProcessTreeMemory(child.pid!);
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { what, seconds: (Date.now() - began) / 1000, peakMb: memory.stop(), exitCode };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kac-bench-"));
  guard.add("bench directory", () => rm(dir, { recursive: true, force: true }));
  const { started, kubectl, targetArgs } = await prepareCluster(dir, progress, (cluster) => guard.add("kind cluster", () => cluster.teardown()));
  const clusterPhases = progress.phases.filter((p) => !p.name.startsWith("load "));
  const env = { KAC_KUBECTL: kubectl };
  const target = ["run", ...targetArgs, "--report-dir", join(dir, "reports")];

  const runs: TimedRun[] = [await timeCli("all suites (kept cluster)", target, env)];
  for (const suite of suiteNames()) runs.push(await timeCli(`suite ${suite}`, [...target, "--suite", suite], env));

  const latency = await measureAccessPaths({ kubeconfigPath: started.kubeconfigPath, kubectl, ...(values["proxy-url"] ? { proxyUnderTest: { url: values["proxy-url"] } } : {}) }, rounds);

  const all = runs[0]!;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    nodeImage: started.nodeImage,
    nodes: started.nodes.length,
    clusterStartSeconds: started.startDurationMs / 1000,
    clusterPhases: clusterPhases.map((p) => ({ phase: p.name, seconds: p.ms / 1000 })),
    wholeRun: { keptClusterSeconds: all.seconds, coldSeconds: Math.round((started.startDurationMs / 1000 + all.seconds) * 10) / 10, peakHarnessMb: all.peakMb },
    suites: runs.slice(1).map((r) => ({ suite: r.what.replace("suite ", ""), seconds: r.seconds, peakHarnessMb: r.peakMb, exitCode: r.exitCode })),
    latency,
  };
  const out = join("reports", "bench", `${result.date.replace(/[:.]/g, "-")}.json`);
  await mkdir(join("reports", "bench"), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  process.stdout.write(`\nwritten to ${out}\n`);
}

function printTable(r: { clusterStartSeconds: number; clusterPhases: { phase: string; seconds: number }[]; wholeRun: { keptClusterSeconds: number; coldSeconds: number; peakHarnessMb: number }; suites: { suite: string; seconds: number; peakHarnessMb: number }[]; latency: PathLatency[]; nodes: number; nodeImage: string }): void {
  const row = (a: string, b: string) => `  ${a.padEnd(44)} ${b}`;
  const lines = [`cluster: ${r.nodes} nodes, ${r.nodeImage}`, row("start to all nodes Ready", `${r.clusterStartSeconds.toFixed(1)} s`)];
  for (const p of r.clusterPhases) lines.push(row(`  ${p.phase}`, `${p.seconds.toFixed(1)} s`));
  lines.push("whole run:", row("all suites, kept cluster", `${r.wholeRun.keptClusterSeconds.toFixed(1)} s`), row("cold (cluster start + all suites)", `${r.wholeRun.coldSeconds.toFixed(1)} s`), row("peak memory of the harness (process tree)", `${r.wholeRun.peakHarnessMb} MB`));
  lines.push("per suite (alone, kept cluster):");
  for (const s of r.suites) lines.push(row(s.suite, `${s.seconds.toFixed(1)} s, ${s.peakHarnessMb} MB`));
  lines.push("per-path latency (p50 / p95, overhead vs direct):");
  for (const l of r.latency) {
    const [requests, p50, p95, overhead] = latencyCells(l);
    lines.push(row(l.path, `${p50} / ${p95}, ${overhead} (${requests} requests)`));
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().then(() => guard.release(), async (error: Error) => {
  await guard.release();
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exit(1);
});
