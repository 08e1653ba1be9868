/** Latency per access path, as the run measures it and the report and benchmark show it. */
export interface LatencyFigures {
  path: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  /** p50 divided by the direct path's p50 (1 for the direct path itself). */
  overhead?: number;
}

/** A path that could not be timed: latency is a figure, not a check, so the run goes on and says why. */
export interface UnmeasuredPath {
  path: string;
  unmeasured: string;
}

export type PathLatency = LatencyFigures | UnmeasuredPath;
