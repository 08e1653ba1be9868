import { redact } from "./redact.ts";

/**
 * Progress lines on stderr, so stdout stays free for what a command is asked to print (a kubeconfig
 * path, the closing summary line). Every line passes through redaction: a token echoed by a failing
 * command must not reach a CI log.
 */
export class Progress {
  private readonly write: (line: string) => void;
  private readonly started = Date.now();
  /** Every finished phase with its duration, for the benchmark. */
  readonly phases: { name: string; ms: number }[] = [];

  constructor(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
    this.write = write;
  }

  info(message: string): void {
    this.write(redact(`[${this.elapsed()}] ${message}`));
  }

  /** Runs one timed phase and reports its duration; returns what the phase returns. */
  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const begin = Date.now();
    this.info(`${name} ...`);
    try {
      const result = await work();
      this.phases.push({ name, ms: Date.now() - begin });
      this.info(`${name}: done in ${seconds(Date.now() - begin)}`);
      return result;
    } catch (error) {
      this.info(`${name}: failed after ${seconds(Date.now() - begin)}`);
      throw error;
    }
  }

  private elapsed(): string {
    return seconds(Date.now() - this.started).padStart(6);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
