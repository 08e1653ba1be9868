/**
 * Runs registered teardowns on every way out: a normal end (the caller calls `release`), an exception
 * (likewise, from its finally), and SIGINT or SIGTERM (here). A second Ctrl-C while cleaning up does not
 * cut the cleanup short: it is what would leave containers behind.
 */
export class ExitGuard {
  private readonly teardowns = new Map<string, () => Promise<void>>();
  private cleaning: Promise<void> | undefined;
  private readonly log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.log = log;
  }

  add(name: string, teardown: () => Promise<void>): void {
    this.teardowns.set(name, teardown);
  }

  remove(name: string): void {
    this.teardowns.delete(name);
  }

  /** Listens for SIGINT and SIGTERM; after cleanup the process exits 130 or 143, as shells expect. */
  install(): void {
    for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
      process.on(signal, () => {
        if (this.cleaning) {
          this.log(`${signal} again: still removing what this run created, please wait`);
          return;
        }
        this.log(`${signal}: removing what this run created ...`);
        void this.release().finally(() => process.exit(code));
      });
    }
  }

  /** Runs every teardown once, newest first; a failing teardown is reported and the others still run. */
  release(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const [name, teardown] of [...this.teardowns].reverse()) {
        try {
          await teardown();
        } catch (error) {
          this.log(`cleanup of ${name} failed: ${(error as Error).message}`);
        }
      }
      this.teardowns.clear();
    })();
    return this.cleaning;
  }
}
