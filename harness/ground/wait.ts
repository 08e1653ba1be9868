/** A wait that ran out of time; the message says what was awaited and what was last seen. */
export class WaitTimeout extends Error {}

export interface WaitOptions {
  timeoutMs: number;
  /** Pause between probes (default 500 ms). */
  intervalMs?: number;
  /** Ends the wait early (e.g. an exit path); the wait then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The one wait of the project: asks `probe` until it returns something other than `undefined` and
 * resolves with that. A probe that throws ends the wait with its error. After `timeoutMs` it rejects
 * with a WaitTimeout naming `what`, plus `lastSeen()` where the caller can say what it saw instead.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, options: WaitOptions & { lastSeen?: () => string }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const seen = options.lastSeen?.();
      throw new WaitTimeout(`${what}: not within ${Math.round(options.timeoutMs / 1000)} s${seen ? ` (${seen})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 500, Math.max(0, deadline - Date.now()))));
  }
}
