import type { Dispatcher } from "undici";
import { request } from "undici";
import type { LatencyFigures, PathLatency } from "../ground/path-latency.ts";

/** One access path to time: a base URL, and how to reach it (TLS agent, credentials). */
export interface TimedPath {
  name: string;
  base: string;
  /** The fixed request mix, as paths below base. */
  requests: string[];
  dispatcher?: Dispatcher;
  headers?: Record<string, string>;
}


/** The cells every latency table shows (report, benchmark): requests, p50, p95, overhead vs direct. */
export function latencyCells(l: PathLatency): [string, string, string, string] {
  if ("unmeasured" in l) return ["–", "–", "–", `not measured: ${l.unmeasured}`];
  return [String(l.requests), `${l.p50Ms} ms`, `${l.p95Ms} ms`, l.overhead === undefined ? "–" : `×${l.overhead}`];
}

/** Sends the path's request mix `rounds` times, in order, one at a time, and returns p50 and p95. */
export async function measureLatency(path: TimedPath, rounds: number): Promise<LatencyFigures> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const rel of path.requests) {
      const began = performance.now();
      // Bounded: a proxy that hangs is reported as unmeasured, not waited for.
      const answer = await request(`${path.base}${rel}`, { dispatcher: path.dispatcher, headers: path.headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
      await answer.body.dump();
      if (answer.statusCode >= 400) throw new Error(`${rel} answered ${answer.statusCode}`);
      samples.push(performance.now() - began);
    }
  }
  return { path: path.name, requests: samples.length, p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95) };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 100) / 100;
}
