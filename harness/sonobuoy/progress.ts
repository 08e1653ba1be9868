import { request } from "undici";

/**
 * A progress update for Sonobuoy (`sonobuoy status`, `sonobuoy run --wait`), in its terms: `completed`
 * counts what passed and `failures` names what failed, so that it shows "Passed: N, Failed: N,
 * Remaining: total - N - failures". The append fields add to the previous update instead of replacing it.
 */
export interface ProgressUpdate {
  msg: string;
  total?: number;
  completed?: number;
  failures?: string[];
  errors?: string[];
  appendCompleted?: number;
  appendFailing?: string[];
  appendTotals?: boolean;
}

/** The environment variable Sonobuoy sets in a plugin's containers: the worker sidecar's progress port. */
export const SONOBUOY_PROGRESS_PORT_VARIABLE = "SONOBUOY_PROGRESS_PORT";
const PLUGIN_NAME = "kube-access-conformance";

/**
 * POSTs an update to the Sonobuoy worker beside the plugin (http://localhost:$SONOBUOY_PROGRESS_PORT/progress),
 * which relays it to the aggregator. Progress is a courtesy: this never throws and never holds the run
 * for long. Without the variable (not a Sonobuoy plugin) it does nothing; when the worker does not
 * answer (it starts beside the plugin and may not listen yet), the update is dropped. Resolves true when
 * the worker accepted the update.
 */
export async function reportProgress(update: ProgressUpdate, options: { port?: string; timeoutMs?: number } = {}): Promise<boolean> {
  const port = options.port ?? process.env[SONOBUOY_PROGRESS_PORT_VARIABLE];
  if (!port) return false;
  // Sonobuoy's own wire format (pkg/plugin/interface.go, ProgressUpdate). The aggregator takes name and
  // node from the URL the worker relays to; they are sent for readers of the worker's log.
  const body = JSON.stringify({
    name: PLUGIN_NAME,
    node: "global",
    timestamp: new Date().toISOString(),
    msg: update.msg,
    total: update.total ?? 0,
    completed: update.completed ?? 0,
    ...(update.errors?.length ? { errors: update.errors } : {}),
    ...(update.failures?.length ? { failures: update.failures } : {}),
    ...(update.appendTotals ? { appendtotals: true } : {}),
    ...(update.appendCompleted ? { appendcompleted: update.appendCompleted } : {}),
    ...(update.appendFailing?.length ? { appendfailing: update.appendFailing } : {}),
  });
  try {
    // 127.0.0.1 rather than localhost: the worker listens on every address, and localhost may resolve
    // to ::1 first in a Pod without IPv6. `reset` closes the connection, so no idle socket outlives a run.
    const response = await request(`http://127.0.0.1:${port}/progress`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      reset: true,
      signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
    });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}

/**
 * The update after a check finished, from every check finished so far: Playwright's statuses, with
 * `failed` and `timedOut` as failures (the report may still turn a passed test into warn or n/a, which
 * Sonobuoy counts as passed and skipped; progress does not wait for that).
 */
export function checkProgress(finished: readonly { id: string; status: string }[], total: number): ProgressUpdate {
  const failures = finished.filter((f) => f.status === "failed" || f.status === "timedOut").map((f) => f.id);
  const last = finished.at(-1);
  return {
    msg: last ? `${last.id} ${last.status}` : "starting",
    total,
    completed: finished.length - failures.length,
    ...(failures.length ? { failures } : {}),
  };
}
