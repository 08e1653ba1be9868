import { readFileSync } from "node:fs";
import type { ApiServerFront } from "./api-server-front.ts";
import type { PreparedClients } from "./prepared-clients.ts";
import type { PublishedPort, TargetDescription } from "./target.ts";

/**
 * What the CLI hands to the suites and the reporter, which run in Playwright's processes: written to
 * `run.json` in the run's report directory, whose path travels in KAC_RUN_FILE.
 */
export interface RunContext {
  /** Also the label value (io.kac.run) on everything the suites create in the cluster. */
  runId: string;
  startedAt: string;
  reportDir: string;
  kubeconfigPath: string;
  contextName: string;
  /** A kubectl of the cluster's minor version (the kind node image's own, for kind targets). */
  kubectl: string;
  /** The backend image the suites deploy (kac-fixture): present on kind nodes, pullable elsewhere. */
  fixtureImage: string;
  /** The in-cluster probe image (shell, curl, kubectl, the client snippets). */
  probeImage: string;
  target: TargetDescription;
  /**
   * Whether the cluster stays after the run (an existing cluster, or --keep): only then must a suite
   * wait for its namespace to be gone; a cluster about to be removed takes its namespaces along.
   */
  clusterOutlivesRun: boolean;
  /** The catalog IDs this run checks (--suite and --grep resolved); the others are reported not selected. */
  selectedChecks: string[];
  /** The client snippets the selected checks run, prepared before the suites started. */
  clients: PreparedClients;
  /** A proxy implementation to check beside `kubectl proxy` (--proxy-url or --proxy-command). */
  proxyUnderTest?: { url?: string; command?: string };
  /** A saved report.json to compare with (--baseline): regressions lead the report and fail the run. */
  baselinePath?: string;
  /** How much slower than the baseline a path's p50 or p95 may get before it is a regression (--latency-factor). */
  /**
   * Where, inside the report directory, the run puts the nodes' logs when a check fails (kind clusters
   * only); the report links it.
   */
  logsOnFailure?: string;
  latencyFactor: number;
  /** What sits in front of the API server, found by the CLI before the suites ran. */
  apiServerFront?: ApiServerFront;
  /**
   * Where the cluster was handed over at Ready while its start went on (kind): a file the CLI writes
   * once the start has finished, empty, or holding why it failed. Checks that deploy Pods or use
   * MetalLB wait for it (suites/support/cluster-settled.ts); the others need only the API server.
   */
  clusterSettledFile?: string;
  /** Node ports published on the host (kind's extraPortMappings); empty for existing clusters. */
  nodePortMappings: PublishedPort[];
}

export const RUN_FILE_VARIABLE = "KAC_RUN_FILE";

export function loadRunContext(): RunContext {
  const path = process.env[RUN_FILE_VARIABLE];
  if (!path) throw new Error(`${RUN_FILE_VARIABLE} is not set: run the suites through 'kube-access-conformance run' or 'npm test'`);
  return JSON.parse(readFileSync(path, "utf8")) as RunContext;
}
