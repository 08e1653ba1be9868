import { execFile } from "node:child_process";
import { dirname } from "node:path";
import type { RunContext } from "../../harness/ground/run-context.ts";
import type { EvidenceLog } from "./evidence.ts";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How long one kubectl or shell command of a check may take. */
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * Runs commands as the documentation's readers would, against the run's kubeconfig and context, and
 * records each as evidence (command, exit code, output excerpt, time).
 */
export class Kubectl {
  private readonly run: RunContext;
  private readonly evidence: EvidenceLog;
  private readonly kubeconfig: string;

  /** `kubeconfig` defaults to the run's; a suite may pass a copy whose context names its namespace. */
  constructor(run: RunContext, evidence: EvidenceLog, kubeconfig = run.kubeconfigPath) {
    this.run = run;
    this.evidence = evidence;
    this.kubeconfig = kubeconfig;
  }

  /** The kubectl binary and kubeconfig this runner uses (for commands built around them). */
  get binary(): string {
    return this.run.kubectl;
  }

  get kubeconfigPath(): string {
    return this.kubeconfig;
  }

  /** The environment under which `kubectl` (no flags) means the target cluster, for documented shell pipelines. */
  get env(): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.kubeconfig, PATH: `${dirname(this.run.kubectl)}:${process.env.PATH}` };
  }

  /** kubectl with the kubeconfig's current context (the run's context). */
  kubectl(...args: string[]): Promise<CommandResult> {
    return this.command(this.run.kubectl, ["--kubeconfig", this.kubeconfig, ...args], `kubectl ${args.join(" ")}`);
  }

  /** A shell pipeline exactly as the documentation writes it, with `kubectl` bound to the target. */
  shell(script: string): Promise<CommandResult> {
    return this.command("/bin/sh", ["-c", script], script);
  }

  /**
   * Any command, shown in the evidence as `shown` (the form a reader of the documentation would type);
   * `env` replaces the environment bound to the target, for checks about what kubectl finds on its own.
   */
  command(file: string, args: string[], shown: string, env: NodeJS.ProcessEnv = this.env): Promise<CommandResult> {
    const began = Date.now();
    return new Promise((resolve) => {
      execFile(file, args, { env, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        this.evidence.add({ request: shown, status: code, excerpt: stdout || stderr, durationMs: Date.now() - began });
        resolve({ code, stdout, stderr });
      });
    });
  }
}
