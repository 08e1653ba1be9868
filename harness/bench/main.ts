#!/usr/bin/env node
/**
 * `npm run bench`: what the harness costs on this machine, measured, not asserted. Times a whole cold
 * run first; then the start of a cluster per Kubernetes minor, phase by phase; then the matrix run over
 * those minors against the one-minor cold run; then starts the default kind cluster from
 * kind-config.yaml, runs the suites against it (all at once, and each alone), and times a fixed request
 * mix over every access path. A run that exits non-zero is marked, since its time is not a clean one.
 * Prints a table and writes it as JSON to reports/bench/. Options: --rounds N (latency rounds, default
 * 30), --kubernetes LIST (the minors; default: the supported ones whose node image is here),
 * --proxy-url URL (also time a proxy under test).
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ExitGuard } from "../cleanup/exit-guard.ts";
import { Progress } from "../log/progress.ts";
import { suiteNames } from "../run/suite-runner.ts";
import { prepareCluster } from "../providers/kind/prepared-cluster.ts";
import { DEFAULT_HARNESS_IMAGE } from "../paths.ts";
import { timeInClusterRun, type InClusterFigures } from "./in-cluster-run.ts";
import { measureAccessPaths } from "../latency/access-paths.ts";
import { latencyCells } from "../latency/latency.ts";
import { type PathLatency } from "../ground/path-latency.ts";
import { ProcessTreeMemory } from "./process-memory.ts";
import { timeStart, type StartFigures } from "./start-per-minor.ts";
import { connectDockerHost } from "../kind/docker-host.ts";
import { minorRelease, parseMinorList, SUPPORTED_MINORS, type MinorRelease } from "../kind/kubernetes-versions.ts";
import { imageExists } from "../kind/local-image.ts";
import { offlineNodeImage } from "../kind/node-image.ts";

const CLI = new URL("../cli/main.ts", import.meta.url).pathname;
const { values } = parseArgs({ options: { rounds: { type: "string", default: "30" }, kubernetes: { type: "string" }, "proxy-url": { type: "string" } } });
const rounds = Number(values.rounds);
const progress = new Progress();
const guard = new ExitGuard((line) => progress.info(line));
guard.install();

/** Runs the CLI, timing it and sampling its process tree's memory. */
async function timeCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunFigures> {
  const began = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });
  const memory = new ProcessTreeMemory(child.pid!);
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { seconds: (Date.now() - began) / 1000, peakHarnessMb: memory.stop(), exitCode };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kac-bench-"));
  guard.add("bench directory", () => rm(dir, { recursive: true, force: true }));
  // Cold: what `npm run kac -- run` costs from nothing (its own cluster, image loads, suites, teardown).
  const cold = await progress.phase("whole run, cold", () => timeCli(["run", "--report-dir", join(dir, "reports-cold")]));
  const minors = values.kubernetes ? parseMinorList(values.kubernetes) : await presentMinors();
  const starts: StartFigures[] = [];
  for (const release of minors) starts.push(await progress.phase(`cluster start, Kubernetes ${release.minor}`, () => timeStart(release, (name, teardown) => guard.add(name, teardown))));
  const matrix = minors.length > 1
    ? { minors: minors.map((m) => m.minor), ...(await progress.phase("matrix run", () => timeCli(["run", "--kubernetes", minors.map((m) => m.minor).join(","), "--report-dir", join(dir, "reports-matrix")]))) }
    : undefined;
  const before = progress.phases.length;
  const { started, kubectl, targetArgs } = await prepareCluster(dir, progress, (cluster) => guard.add("kind cluster", () => cluster.teardown()));
  const clusterPhases = progress.phases.slice(before).filter((p) => !p.name.startsWith("load "));
  const env = { KAC_KUBECTL: kubectl };
  const target = ["run", ...targetArgs, "--report-dir", join(dir, "reports")];

  const keptCluster = await timeCli(target, env);
  const suites: BenchResult["suites"] = [];
  for (const suite of suiteNames()) suites.push({ suite, ...(await timeCli([...target, "--suite", suite], env)) });

  const inCluster = await progress.phase("whole run in the cluster (Job)", () => timeInClusterRun(started, kubectl, DEFAULT_HARNESS_IMAGE));
  const latency = await measureAccessPaths({ kubeconfigPath: started.kubeconfigPath, kubectl, ...(values["proxy-url"] ? { proxyUnderTest: { url: values["proxy-url"] } } : {}) }, rounds);

  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    nodeImage: started.nodeImage,
    nodes: started.nodes.length,
    clusterStartSeconds: started.startDurationMs / 1000,
    clusterPhases: clusterPhases.map((p) => ({ phase: p.name, seconds: p.ms / 1000 })),
    wholeRun: { cold, keptCluster, inCluster },
    starts,
    ...(matrix ? { matrix } : {}),
    suites,
    latency,
  };
  const out = join("reports", "bench", `${result.date.replace(/[:.]/g, "-")}.json`);
  await mkdir(join("reports", "bench"), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  process.stdout.write(`\nwritten to ${out}\n`);
}

interface RunFigures {
  seconds: number;
  peakHarnessMb: number;
  exitCode: number | null;
}

interface BenchResult {
  date: string;
  machine: { cpus: number; memoryGb: number };
  nodeImage: string;
  nodes: number;
  clusterStartSeconds: number;
  clusterPhases: { phase: string; seconds: number }[];
  wholeRun: { cold: RunFigures; keptCluster: RunFigures; inCluster: InClusterFigures };
  starts: StartFigures[];
  /** The same run on several minors at once, against `wholeRun.cold` on one (goal: 2× or less). */
  matrix?: RunFigures & { minors: string[] };
  suites: (RunFigures & { suite: string })[];
  latency: PathLatency[];
}

/** The supported minors whose node image (kind's or the offline build) is on this machine. */
async function presentMinors(): Promise<MinorRelease[]> {
  const client = await connectDockerHost();
  const present = await Promise.all(SUPPORTED_MINORS.map(minorRelease).map(async (release) =>
    (release.upstream && (await imageExists(client, release.upstream))) || (await imageExists(client, offlineNodeImage(release))) ? [release] : []));
  return present.flat();
}

function printTable(r: BenchResult): void {
  const row = (a: string, b: string) => `  ${a.padEnd(50)} ${b}`;
  const run = (f: RunFigures) => `${f.seconds.toFixed(1)} s, peak ${f.peakHarnessMb} MB${f.exitCode === 0 ? "" : ` (exit ${f.exitCode}: not a clean run)`}`;
  const lines = [`cluster: ${r.nodes} nodes, ${r.nodeImage} (${r.machine.cpus} CPUs, ${r.machine.memoryGb} GB)`, row("start to all nodes Ready", `${r.clusterStartSeconds.toFixed(1)} s`)];
  for (const p of r.clusterPhases) lines.push(row(`  ${p.phase}`, `${p.seconds.toFixed(1)} s`));
  lines.push("start per minor (start to all nodes Ready; over kubeadm init + join; to the images loaded too):");
  for (const s of r.starts) {
    lines.push(row(`Kubernetes ${s.minor} (${s.nodeImage.split("@")[0]})`, `${s.readySeconds.toFixed(1)} s, ×${s.overKubeadm.toFixed(2)}, ${s.imagesLoadedSeconds.toFixed(1)} s`));
    lines.push(row("", s.phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)}`).join(", ")));
  }
  if (r.matrix) lines.push(row(`matrix run, ${r.matrix.minors.join(" + ")}`, `${run(r.matrix)}: ×${(r.matrix.seconds / r.wholeRun.cold.seconds).toFixed(2)} the one-minor cold run`));
  lines.push("whole run (time, peak memory of the harness's process tree):");
  const inside = r.wholeRun.inCluster;
  lines.push(row("cold (own cluster, image loads, suites, teardown)", run(r.wholeRun.cold)), row("kept cluster", run(r.wholeRun.keptCluster)),
    row("in the cluster, as a Job (apply to the harness's exit)", "unmeasured" in inside ? `not measured: ${inside.unmeasured}` : `${inside.seconds.toFixed(1)} s${inside.exitCode === 0 ? "" : ` (exit ${inside.exitCode}: not a clean run)`}`));
  lines.push("per suite (alone, kept cluster):");
  for (const s of r.suites) lines.push(row(s.suite, run(s)));
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
