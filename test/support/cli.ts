import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../../harness/cli/main.ts", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI as a user would (its own process, its own exit code); `done` settles once it has exited and its output is all read. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, wrapper: string[] = []): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  const [file, ...rest] = [...wrapper, process.execPath, MAIN, ...args];
  const child = spawn(file!, rest, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, wrapper: string[] = []): Promise<CliResult> {
  return startCli(args, env, wrapper).done;
}

/**
 * Runs the CLI in a mount namespace whose /run is empty: no Docker socket exists for it, exactly as on
 * a machine without Docker, while the rest of the system stays as it is. Needs root (unshare).
 */
export const WITHOUT_DOCKER = ["unshare", "--mount", "sh", "-c", 'mount -t tmpfs none /run && exec "$0" "$@"'];

export const canHideDocker = spawnSync("unshare", ["--mount", "true"]).status === 0;
