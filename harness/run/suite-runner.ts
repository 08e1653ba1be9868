import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { UsageError } from "../errors/usage-error.ts";
import { PROJECT_ROOT, SUITES_DIR } from "../paths.ts";
import { RUN_FILE_VARIABLE } from "./run-context.ts";

/** Suite names: the spec files under suites/, one per catalog section. */
export function suiteNames(): string[] {
  return readdirSync(SUITES_DIR).filter((f) => f.endsWith(".spec.ts")).map((f) => f.slice(0, -".spec.ts".length)).sort();
}

export function checkSuiteNames(requested: string[]): void {
  const known = suiteNames();
  for (const name of requested) {
    if (!known.includes(name)) throw new UsageError(`unknown suite "${name}"`, `the suites are: ${known.join(", ")}`);
  }
}

/**
 * Runs the Playwright suites in a child process. Its list reporter shows each check as it finishes; our
 * reporter writes the report. Which checks run is in the run file (the CLI resolved --grep already), so
 * Playwright gets only the suites' files. Resolves with Playwright's exit code.
 */
export function runSuites(runFile: string, suites: string[], onChild: (child: ChildProcess) => void): Promise<number> {
  const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
  const files = suites.map((s) => join("suites", `${s}.spec.ts`));
  const args = [cli, "test", "--config", join(PROJECT_ROOT, "playwright.config.ts"), ...files];
  if (!existsSync(SUITES_DIR)) throw new Error(`no suites directory at ${SUITES_DIR}`);
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: "inherit",
    env: { ...process.env, [RUN_FILE_VARIABLE]: runFile },
  });
  onChild(child);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
