import { execFile } from "node:child_process";
import type { Evidence } from "../ground/evidence.ts";

/** How much of a failed step's output the evidence keeps: its end, where compilers and pip say why. */
const TAIL_CHARS = 1500;

/** A build or install step that failed, with the evidence a check reports for it. */
export class BuildStepError extends Error {
  readonly evidence: Evidence;

  constructor(message: string, evidence: Evidence) {
    super(message);
    this.name = "BuildStepError";
    this.evidence = evidence;
  }
}

export interface StepOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs one step of a client build; a non-zero exit, a timeout or an abort is a BuildStepError. */
export function buildStep(file: string, args: string[], options: StepOptions): Promise<string> {
  const begin = Date.now();
  const request = [file, ...args].join(" ");
  return new Promise((resolve, reject) => {
    execFile(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs,
      signal: options.signal,
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const status = error.killed || error.name === "AbortError" ? (options.signal?.aborted ? "aborted" : `timed out after ${options.timeoutMs / 1000} s`) : (error.code ?? "error");
      const output = `${stderr}${stdout}`.trim() || error.message;
      const evidence: Evidence = { request, status: String(status), excerpt: output.slice(-TAIL_CHARS), durationMs: Date.now() - begin };
      reject(new BuildStepError(`${request} failed (${status}): ${lastLine(output)}`, evidence));
    });
  });
}

/** Whether a command can be run at all (exists on PATH and starts): how a missing toolchain is told apart. */
export function canRun(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(file, args, { timeout: 30_000 }, (error) => resolve(!error)));
}

function lastLine(output: string): string {
  return output.trim().split("\n").filter((l) => l.trim()).at(-1)?.trim() ?? "";
}
