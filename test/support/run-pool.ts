/**
 * Work that cannot interfere (each run has its own namespaces and its own proxies), run a few at a time
 * on one shared cluster: a work queue, so a slow run (PX-05's idle watch, a Job inside the cluster) holds
 * up only its own worker, not a whole batch. Nothing starts until the first result is asked for, so the
 * tests declared before that run alone; the runs then start in the order they were added.
 */
export class RunPool {
  private readonly queue: { key: string; run: () => Promise<void>; fail: (error: unknown) => void }[] = [];
  private readonly keys = new Set<string>();
  private started = false;
  private readonly atOnce: number;
  private readonly first: () => Promise<unknown>;

  /** `first`: what every run needs done before it (e.g. tools the proxies start with), done once. */
  constructor(atOnce: number, first: () => Promise<unknown> = async () => undefined) {
    this.atOnce = atOnce;
    this.first = first;
  }

  /** Adds a run; what it returns gives the run's result, starting the pool on its first call. */
  add<T>(key: string, task: () => Promise<T>): () => Promise<T> {
    if (this.keys.has(key)) throw new Error(`two runs are named ${key}`);
    if (this.started) throw new Error(`run ${key} added after the pool started`);
    this.keys.add(key);
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    // A run's failure is reported by the test that asks for it, never as an unhandled rejection.
    promise.catch(() => undefined);
    this.queue.push({ key, run: () => task().then(resolve, reject), fail: reject });
    return () => {
      this.start();
      return promise;
    };
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const worker = async () => {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await next.run();
    };
    this.first().then(
      () => Promise.all(Array.from({ length: this.atOnce }, worker)),
      (error: unknown) => {
        for (const run of this.queue.splice(0)) run.fail(error);
      },
    );
  }
}
