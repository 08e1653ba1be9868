import { parseArgs } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors/usage-error.ts";
import { DEFAULT_HARNESS_IMAGE, DEFAULT_KIND_CONFIG, IMAGES_BUILD_COMMAND } from "../paths.ts";
import { DEFAULT_FIXTURE_IMAGE, DEFAULT_PROBE_IMAGE } from "../ground/suite-images.ts";
import type { RunOptions } from "../run/run-options.ts";
import { DEFAULT_WORKERS } from "../run/suite-runner.ts";
import { planColumns, type ColumnSpec } from "../run/matrix-columns.ts";
import { DEFAULT_MINOR, KIND_RELEASE, parseMinorList, PRE_RELEASE_HELP, SUPPORTED_MINORS } from "../kind/kubernetes-versions.ts";
import type { ProviderChoice } from "../providers/choose-provider.ts";
import { IN_CLUSTER_CONSENT_VARIABLE } from "../providers/in-cluster/in-cluster-provider.ts";

export type Command =
  | { name: "run"; options: RunOptions; columns: ColumnSpec[] }
  | { name: "down"; runId?: string; provider: ProviderChoice; exportLogs?: string }
  | { name: "logs"; runId: string; dir: string }
  | { name: "prepare" }
  | { name: "job-manifest"; image: string; namespace: string; runArgs: string[] }
  | { name: "sonobuoy-plugin"; image: string; access: boolean; runArgs: string[] }
  | { name: "help" };

export const USAGE = `Usage: kube-access-conformance <command> [options]

Commands:
  run     start a kind cluster (or use --kubeconfig), run the access checks, write the report
  down    remove what earlier runs left (all of them, or --run ID): kind clusters kept with
          --keep and their kubeconfigs; with --kubeconfig or --in-cluster, the namespaces
          that killed runs left in that cluster; --export-logs DIR: first the kind nodes'
          logs into DIR (DIR/RUN for each cluster without --run), as kind export logs does
  logs --run ID [--dir DIR]
          the nodes' journals (kubelet, containerd), the control-plane components' and pods'
          logs, the cluster's events and each node's docker inspect, from a kind cluster kept
          with --keep (default DIR: reports/logs-ID); a run does this itself into its report
          directory when a check fails or the cluster does not start
  prepare build the client snippets' binaries and environments into the cache (Go, Python,
          Java), as machine preparation does; a run builds what is missing itself
  job-manifest [--image IMG] [--namespace NS] [-- RUN OPTIONS]
          print the manifest that runs the harness as a Job in a cluster (run --in-cluster):
          a namespace, a ServiceAccount with exactly the rights the suites need, the Job;
          apply it with kubectl apply -f -
  sonobuoy-plugin [--image IMG] [--access] [-- RUN OPTIONS]
          print the Sonobuoy plugin definition (sonobuoy run --plugin FILE); with --access,
          the narrower RBAC to apply before sonobuoy run --aggregator-permissions namespaceAdmin

Options for run:
  --kind-config PATH   kind cluster config (default: ./kind-config.yaml, else the package's:
                       one control plane, two workers)
  --kubernetes LIST    the Kubernetes minors of the kind clusters, e.g. 1.37 or ${SUPPORTED_MINORS.join(",")}
                       ("supported": all of those; ${PRE_RELEASE_HELP}); several make a matrix:
                       a cluster each, in parallel as memory allows, one report side by side
                       (default: ${DEFAULT_MINOR}, kind ${KIND_RELEASE}'s default)
  --node-image IMAGE   kind node image (default: $KAC_NODE_IMAGE, else kind's image of the
                       minor, else its offline build kac.local/node); repeat for a matrix
  --fixture-image IMG  the backend image the suites deploy (default: kac.local/fixture:v1,
                       built by ${IMAGES_BUILD_COMMAND}; an existing cluster must be able to pull it)
  --probe-image IMG    the in-cluster probe image (default: kac.local/probe:v1, likewise)
  --kubeconfig PATH    check an existing cluster instead of starting one
  --context NAME       the kubeconfig context to use (default: its current context); repeat
                       for a matrix: a column per context
  --allow-context NAME consent to check that existing cluster: the suites create (and remove)
                       namespaces labelled io.kac.run there; required with --kubeconfig, once
                       per context
  --in-cluster         check the cluster this Pod runs in, with its ServiceAccount (the harness
                       image as a Job, or the Sonobuoy plugin)
  --allow-in-cluster   consent to that (or ${IN_CLUSTER_CONSENT_VARIABLE}=true in the Pod's environment)
  --proxy-url URL      also check this proxy to the API, side by side with kubectl proxy
  --proxy-command CMD  start this proxy for the checks ({port} and {kubeconfig} are filled in)
  --baseline FILE      compare with a saved report.json: a check that passed there and fails
                       now is a regression; regressions lead the report and fail the run
  --latency-factor N   with --baseline: a path whose p50 or p95 latency grew beyond N times
                       the baseline's is a regression too (default: 2)
  --suite NAME         run only this suite (repeatable): kubeconfig, kubectl-proxy, token, ...
  --grep PATTERN       run only checks whose "ID title" matches this regular expression
                       (checks left out are reported as not selected; a selection of none
                       is an error)
  --workers N          how many suites run side by side (default: ${DEFAULT_WORKERS}; a matrix shares
                       them out among the clusters running at once, at least 2 each)
  --report-dir DIR     where reports go (default: reports)
  --keep               leave the kind cluster running and print how to reach and remove it
                       (without Testcontainers' reaper, which would remove it)
  --dry-run            list what the run would create (in Docker and in the cluster) and stop
  --help               this text

Options for job-manifest and sonobuoy-plugin:
  --image IMG          the harness image (default: ${DEFAULT_HARNESS_IMAGE}, built by
                       images/harness/build.sh; push it where the cluster pulls from)
  --namespace NS       job-manifest: the namespace it creates for the Job (default: kac-job)
`;

/** Parses the command line; anything unknown or malformed is a UsageError naming it. */
export function parseCommand(argv: string[]): Command {
  const [name, ...all] = argv;
  // After "--": options for the `run` that job-manifest and sonobuoy-plugin put into the cluster.
  const dash = all.indexOf("--");
  const rest = dash >= 0 ? all.slice(0, dash) : all;
  const runArgs = dash >= 0 ? all.slice(dash + 1) : [];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") return { name: "help" };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        "kind-config": { type: "string" },
        "node-image": { type: "string", multiple: true },
        kubernetes: { type: "string" },
        "fixture-image": { type: "string" },
        "probe-image": { type: "string" },
        kubeconfig: { type: "string" },
        context: { type: "string", multiple: true },
        "allow-context": { type: "string", multiple: true },
        "in-cluster": { type: "boolean" },
        "allow-in-cluster": { type: "boolean" },
        "report-dir": { type: "string" },
        keep: { type: "boolean" },
        "dry-run": { type: "boolean" },
        run: { type: "string" },
        "export-logs": { type: "string" },
        dir: { type: "string" },
        suite: { type: "string", multiple: true },
        grep: { type: "string" },
        "proxy-url": { type: "string" },
        "proxy-command": { type: "string" },
        baseline: { type: "string" },
        "latency-factor": { type: "string" },
        workers: { type: "string" },
        image: { type: "string" },
        namespace: { type: "string" },
        access: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]!.replace(/\. To specify.*$/, ""), "see kube-access-conformance --help");
  }
  const values = parsed.values;
  if (values.help) return { name: "help" };
  const providerChoice = (): ProviderChoice => {
    if (values.context && !values.kubeconfig) throw new UsageError("--context needs --kubeconfig", "name the kubeconfig that holds the context");
    const given = [values.kubeconfig && "--kubeconfig", values["kind-config"] && "--kind-config", values["in-cluster"] && "--in-cluster"].filter(Boolean);
    if (given.length > 1) throw new UsageError(`${given.join(" and ")} exclude each other`, "choose a kind cluster, an existing cluster or the cluster this Pod runs in");
    return {
      kindConfig: values["kind-config"] ?? (existsSync("kind-config.yaml") ? "kind-config.yaml" : DEFAULT_KIND_CONFIG),
      nodeImage: values["node-image"]?.[0] ?? (process.env.KAC_NODE_IMAGE || undefined),
      keep: values.keep ?? false,
      kubeconfig: values.kubeconfig,
      context: values.context?.[0],
      allowContext: values["allow-context"]?.[0],
      inCluster: values["in-cluster"] ?? false,
      allowInCluster: (values["allow-in-cluster"] ?? false) || process.env[IN_CLUSTER_CONSENT_VARIABLE] === "true",
    };
  };
  if (name === "down") {
    const provider = providerChoice();
    if (values["export-logs"] && (provider.kubeconfig || provider.inCluster)) throw new UsageError("--export-logs reads kind nodes", "it applies to kind clusters kept with --keep, not to --kubeconfig or --in-cluster");
    return { name: "down", runId: values.run, provider, ...(values["export-logs"] ? { exportLogs: values["export-logs"] } : {}) };
  }
  if (name === "logs") {
    if (!values.run) throw new UsageError("logs needs --run ID", "name the kept cluster's run (its --keep note, or docker ps --filter label=io.kac.run, prints it)");
    return { name: "logs", runId: values.run, dir: values.dir ?? join("reports", `logs-${values.run}`) };
  }
  if (name === "prepare") return { name: "prepare" };
  if (name === "job-manifest") return { name, image: values.image ?? DEFAULT_HARNESS_IMAGE, namespace: values.namespace ?? "kac-job", runArgs };
  if (name === "sonobuoy-plugin") return { name, image: values.image ?? DEFAULT_HARNESS_IMAGE, access: values.access ?? false, runArgs };
  if (runArgs.length) throw new UsageError(`"--" passes options to job-manifest and sonobuoy-plugin, not to ${name}`, "give run's options directly");
  if (name !== "run") throw new UsageError(`unknown command "${name}"`, "the commands are run, down, logs, prepare, job-manifest and sonobuoy-plugin (see --help)");
  const provider = providerChoice();
  if (values["proxy-url"] && values["proxy-command"]) throw new UsageError("--proxy-url and --proxy-command exclude each other", "name one proxy under test");
  if (values["proxy-url"] && !/^https?:\/\/[^/]+/.test(values["proxy-url"])) {
    throw new UsageError(`--proxy-url ${values["proxy-url"]} is not an http:// or https:// URL`, "pass the proxy's base URL, e.g. http://127.0.0.1:8001");
  }
  if (values["proxy-command"] && !values["proxy-command"].includes("{port}")) {
    throw new UsageError("--proxy-command has no {port} placeholder", "the harness chooses the port; write {port} where the command takes it");
  }
  const latencyFactor = Number(values["latency-factor"] ?? "2");
  if (!(latencyFactor > 1)) throw new UsageError(`--latency-factor ${values["latency-factor"]} is not a number above 1`, "pass how many times slower a path may get, e.g. --latency-factor 2");
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new UsageError(`--workers ${values.workers} is not a whole number of at least 1`, "pass how many suites may run side by side, e.g. --workers 2");
  const options: RunOptions = {
    ...provider,
    fixtureImage: values["fixture-image"] ?? DEFAULT_FIXTURE_IMAGE,
    probeImage: values["probe-image"] ?? DEFAULT_PROBE_IMAGE,
    reportDir: values["report-dir"] ?? "reports",
    dryRun: values["dry-run"] ?? false,
    suites: values.suite ?? [],
    grep: values.grep,
    proxyUrl: values["proxy-url"],
    proxyCommand: values["proxy-command"],
    baseline: values.baseline,
    latencyFactor,
    workers,
  };
  const columns = planColumns(options, {
    kubernetes: values.kubernetes ? parseMinorList(values.kubernetes) : [],
    nodeImages: values["node-image"] ?? [],
    contexts: values.context ?? [],
    allowContexts: values["allow-context"] ?? [],
  });
  return { name: "run", options: columns.length === 1 ? columns[0]!.options : options, columns };
}
