import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { join } from "node:path";
import { UsageError } from "../errors/usage-error.ts";
import { PLAYWRIGHT_CONFIG, PROJECT_ROOT, SOURCE_EXTENSION, SUITES_DIR } from "../paths.ts";
import { RUN_FILE_VARIABLE } from "../ground/run-context.ts";

/** Suite names: the spec files under suites/, one per catalog section. */
export function suiteNames(): string[] {
  const suffix = `.spec${SOURCE_EXTENSION}`;
  return readdirSync(SUITES_DIR).filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).sort();
}

export function checkSuiteNames(requested: string[]): void {
  const known = suiteNames();
  for (const name of requested) {
    if (!known.includes(name)) throw new UsageError(`unknown suite "${name}"`, `the suites are: ${known.join(", ")}`);
  }
}

/**
 * Suites side by side (Playwright workers). Most of a check's time is spent waiting for the cluster:
 * four keep a 2-CPU machine busy without starving the cluster's own processes (two made the whole
 * run 118 s on a kept cluster, four 94 s).
 */
export const DEFAULT_WORKERS = 4;

export interface SuiteRunnerOptions {
  /** Put before each line of the runner's output (a matrix column's label); the output is inherited without it. */
  outputPrefix?: string;
  workers?: number;
}

/**
 * Runs the Playwright suites in a child process. Its list reporter shows each check as it finishes; our
 * reporter writes the report. Which checks run is in the run file (the CLI resolved --grep already), so
 * Playwright gets only the suites' files. Resolves with Playwright's exit code.
 */
export function runSuites(runFile: string, workDir: string, suites: string[], onChild: (child: ChildProcess) => void, { outputPrefix, workers = DEFAULT_WORKERS }: SuiteRunnerOptions = {}): Promise<number> {
  const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
  const files = suites.map((s) => join("suites", `${s}.spec${SOURCE_EXTENSION}`));
  const args = [cli, "test", "--config", PLAYWRIGHT_CONFIG, `--workers=${workers}`, ...files];
  if (!existsSync(SUITES_DIR)) throw new Error(`no suites directory at ${SUITES_DIR}`);
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: outputPrefix === undefined ? "inherit" : ["ignore", "pipe", "pipe"],
    env: { ...process.env, [RUN_FILE_VARIABLE]: runFile, KAC_WORK_DIR: workDir },
  });
  if (outputPrefix !== undefined) {
    prefixLines(child.stdout!, process.stdout, outputPrefix);
    prefixLines(child.stderr!, process.stderr, outputPrefix);
  }
  onChild(child);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Copies a stream line by line with a prefix, so that parallel runs' output stays readable. */
function prefixLines(from: Readable, to: Writable, prefix: string): void {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => to.write(`${prefix}${line}\n`));
}
