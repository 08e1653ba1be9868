import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { stringify } from "yaml";
import type { KindCluster, StartedKindCluster } from "../../harness/kind/cluster.ts";
import { prepareCluster } from "../../harness/providers/kind/prepared-cluster.ts";
import { METALLB_NAMESPACE, METALLB_POOL } from "../../harness/kind/actions/install-load-balancer.ts";
import { Progress } from "../../harness/log/progress.ts";
import type { Report } from "../../harness/report/model.ts";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { ImageName } from "testcontainers";
import { DEFAULT_RELEASE } from "../../harness/kind/kubernetes-versions.ts";
import { atLeast, parseKubernetesVersion } from "../../harness/kind/kubernetes-version.ts";
import { labelValue, RUN_LABEL } from "../../harness/ground/labels.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_ROOT, runCli, startCli } from "../support/cli.ts";
import { removeCredentialObjects, writeCredentialKubeconfig, type CredentialKind } from "../support/credential-kubeconfigs.ts";
import { clusterKubectl } from "../support/cluster-kubectl.ts";
import { faultyTools } from "../support/faulty-tools.ts";
import { runHarnessJob } from "../support/harness-job.ts";
import { RunPool } from "../support/run-pool.ts";
import { runSonobuoyPlugin, SONOBUOY } from "../support/sonobuoy-plugin-run.ts";

// The harness must prove it catches breakage. One kind cluster serves as an existing cluster
// (--kubeconfig) for a clean run and for runs against deliberately faulty proxies; each fault must be
// flagged by exactly the checks that should catch it, and no other check may change. The same cluster
// runs the harness inside it, as a Job and as a Sonobuoy plugin.

const execFileP = promisify(execFile);

/** Every file under a directory with its size and modification time: what "left as it was" compares. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  return Promise.all(files.map(async (f) => `${f} ${(await stat(f)).size} ${(await stat(f)).mtimeMs}`));
}

const FAULTY_PROXY = join(PROJECT_ROOT, "test", "faulty-proxies", "faulty-proxy.ts");
const FAULTY_CHROMIUM = join(PROJECT_ROOT, "test", "faulty-proxies", "faulty-chromium", "chromium");
const proxy = (fault: string) => ["--proxy-command", `${process.execPath} ${FAULTY_PROXY} ${fault} {port} {kubeconfig}`];
const suites = (...names: string[]) => names.flatMap((s) => ["--suite", s]);
/**
 * Whether the shared cluster (the default minor, or KAC_NODE_IMAGE's) is 1.37 or newer, whose service
 * proxy reads EndpointSlices only: a missing Service then answers 503 "no endpoints available for
 * service NAME" (404 before), and that message names the Service without the port the URL gave.
 */
const ENDPOINT_SLICE_PROXY = atLeast(parseKubernetesVersion(process.env.KAC_NODE_IMAGE ? ImageName.fromString(process.env.KAC_NODE_IMAGE).tag : DEFAULT_RELEASE.offline), 1, 37);

/** An empty harness cache, so that the client snippets are built afresh under the broken toolchains. */
const EMPTY_CLIENT_CACHE = join(tmpdir(), `kac-broken-toolchains-${process.pid}`);

/** Each broken target and exactly the checks that must flag it; every other check must still pass. */
const BROKEN: { what: string; args: string[]; env?: NodeJS.ProcessEnv; failing: string[] }[] = [
  { what: "a proxy that drops the host filter", args: [...proxy("drop-host-filter"), ...suites("kubectl-proxy", "service-proxy")], failing: ["KP-07"] },
  { what: "a proxy that drops the trailing colon of https:NAME:", args: [...proxy("strip-trailing-colon"), ...suites("kubectl-proxy", "service-proxy")], failing: ["SP-04", "SP-28"] },
  // A watch is a query (?watch=1): without it the proxy under test answers a list, not an event stream.
  { what: "a proxy that drops the query string", args: [...proxy("drop-query"), ...suites("kubectl-proxy", "service-proxy")], failing: ["KP-12", "SP-13", "SP-28"] },
  { what: "a proxy that undoes HTML rewriting", args: [...proxy("no-html-rewrite"), ...suites("service-proxy")], failing: ["SP-19"] },
  { what: "a proxy that serves every path from the root", args: [...proxy("serve-from-root"), ...suites("browser")], failing: ["BR-04"] },
  { what: "a proxy that breaks WebSocket upgrades", args: [...proxy("break-websocket"), ...suites("browser")], failing: ["BR-09"] },
  {
    // Toolchains that are present but cannot build: a fail with the build's output, never a skip.
    what: "client builds that fail (no Go module cache, no package index, no Maven repository)", args: suites("client-libraries"),
    env: { KAC_CACHE_DIR: EMPTY_CLIENT_CACHE, GOMODCACHE: "/dev/null/go-mod", GOPROXY: "off", PIP_INDEX_URL: "http://127.0.0.1:9/simple", PIP_RETRIES: "0", PIP_NO_CACHE_DIR: "1", MAVEN_OPTS: "-Dmaven.repo.local=/dev/null/m2" },
    failing: ["CL-GO", "CL-PY", "CL-JAVA", "CL-PROXY"],
  },
  { what: "a probe Pod without its ServiceAccount token", args: suites("in-cluster"), env: { KAC_PROBE_FAULT: "no-token" }, failing: ["IC-03", "IC-04", "IC-05", "IC-06", "IC-09"] },
  { what: "a probe Pod whose DNS answers wrongly", args: suites("in-cluster"), env: { KAC_PROBE_FAULT: "wrong-dns" }, failing: ["IC-02", "IC-04", "IC-06", "IC-10"] },
  {
    // Four probe Pods, each broken its own way: the main probe's KUBERNETES_SERVICE_HOST (which the
    // page's URL and the in-cluster clients read), the no-token Pod, the sidecar Pod, the defaults Pod.
    what: "probe Pods with the API server's Service address overridden, a token mounted although automounting is off, the kubectl proxy sidecar on another port, a ServiceAccount named where none should be",
    args: suites("in-cluster"), env: { KAC_PROBE_FAULT: "wrong-service-env+token-despite-no-automount+sidecar-other-port+named-service-account" },
    failing: ["IC-01", "IC-05", "IC-07", "IC-08", "IC-09", "IC-12"],
  },
  { what: "a Chromium that ignores certificate errors", args: suites("browser"), env: { KAC_CHROMIUM: FAULTY_CHROMIUM }, failing: ["BR-10"] },
];

/**
 * Proxy-contract faults, each breaking one clause of the contract in a real proxy. They run side by
 * side in one pass (a few at a time): each run has its own namespace and its own proxies, so they
 * cannot interfere, and PX-05's 75 s idle watch is waited for once per batch rather than per fault.
 */
const CONTRACT_FAULTS: { fault: string; failing: string[] }[] = [
  { fault: "filter-raw-path", failing: ["PX-01"] },
  { fault: "unanchored-host-filter", failing: ["PX-02"] },
  { fault: "allow-any-origin", failing: ["PX-03"] },
  { fault: "insecure-upstream", failing: ["PX-04"] },
  // A buffered `kubectl logs -f` shows nothing either: PX-07 follows logs through the proxy.
  { fault: "buffer-responses", failing: ["PX-05", "PX-07"] },
  { fault: "idle-timeout-60s", failing: ["PX-05"] },
  { fault: "truncate-bodies", failing: ["PX-06"] },
  { fault: "refuse-port-forward", failing: ["PX-07"] },
  { fault: "normalize-paths", failing: ["PX-08"] },
  { fault: "gunzip-keep-header", failing: ["PX-09"] },
  { fault: "listen-all", failing: ["PX-10"] },
];
/**
 * Faults of the API server's proxy URLs, of kubectl proxy's own behaviour and of the browser's view
 * through a proxy (test/faulty-proxies/), each written from the catalog's text of the IDs it lists.
 * Faults that touch different requests run combined in one proxy ("a+b+c", in one pooled run with only
 * the suites they need) and the run must be flagged by exactly the union of their IDs.
 */
const PROXY_FAULTS: { in: string[]; faults: { fault: string; failing: string[] }[] }[] = [
  { in: ["service-proxy"], faults: [
    { fault: "target-port-numbers", failing: ["SP-03", "SP-06"] },
    { fault: "http-as-https", failing: ["SP-07"] },
    { fault: "append-proxy-slash", failing: ["SP-14"] },
    // SP-08's URL names a missing Service too (service "https"): its 503 differs from kubectl proxy's 404.
    { fault: "missing-service-status-swapped", failing: ["SP-08", "SP-12"] },
  ] },
  { in: ["service-proxy"], faults: [
    { fault: "drop-delete-options-bodies", failing: ["SP-15"] },
    { fault: "add-https-colon", failing: ["SP-08"] },
    { fault: "unknown-scheme-as-http", failing: ["SP-09"] },
    // kubectl cluster-info lists https:kac-listed-tls:tls, which loses its scheme too.
    { fault: "strip-https-named-port", failing: ["SP-05", "SP-16"] },
    { fault: "refuse-pod-proxy", failing: ["SP-17"] },
    { fault: "refuse-node-proxy", failing: ["SP-18"] },
    { fault: "redirect-verb", failing: ["SP-20"] },
  ] },
  // Every check that names a port by name without a scheme: SP-02's multi:alt, SP-16's listed
  // kac-listed-named:web, SP-19's multi:http.
  { in: ["service-proxy"], faults: [{ fault: "drop-port-name", failing: ["SP-02", "SP-16", "SP-19"] }] },
  // Every check that expects the API server proxy's error for a backend it cannot reach; from 1.37 a
  // missing Service is one too (SP-08's service "https", SP-12's).
  { in: ["service-proxy"], faults: [{ fault: "upstream-errors-as-200", failing: ["SP-03", "SP-06", "SP-10", "SP-11", "SP-27", ...(ENDPOINT_SLICE_PROXY ? ["SP-08", "SP-12"] : [])] }] },
  // Every check that names a Service without a port (before 1.37, SP-11's Status then names
  // "empty:http"; from 1.37 it names the Service alone, and SP-11 sees the same answer).
  { in: ["service-proxy"], faults: [{ fault: "default-port-http", failing: ["SP-01", ...(ENDPOINT_SLICE_PROXY ? [] : ["SP-11"]), "SP-13", "SP-14", "SP-15", "SP-16", "SP-26"] }] },
  { in: ["kubectl-proxy", "service-proxy"], faults: [
    { fault: "filter-exec-only", failing: ["KP-06"] },
    { fault: "unknown-port-name-first-port", failing: ["SP-10"] },
    { fault: "ignore-readiness", failing: ["SP-11"] },
    { fault: "hide-cluster-services", failing: ["SP-16"] },
  ] },
  // Every request without credentials refused: KP-04's clause, and with it every proxy check of the suite.
  { in: ["kubectl-proxy"], faults: [{ fault: "require-credentials", failing: ["KP-01", "KP-04", "KP-06", "KP-07", "KP-12"] }] },
  { in: ["browser"], faults: [
    { fault: "no-html-rewrite", failing: ["BR-02"] },
    { fault: "no-location-rewrite", failing: ["BR-05"] },
  ] },
  // The redirect BR-05 follows is reached by a relative link.
  { in: ["browser"], faults: [{ fault: "base-href-root", failing: ["BR-03", "BR-05"] }] },
  // The page never renders: every check that opens the app through the proxy under test.
  { in: ["browser"], faults: [{ fault: "html-as-text", failing: ["BR-01", "BR-02", "BR-03", "BR-04", "BR-05", "BR-09"] }] },
];
const proxyFaultsKey = (faults: { fault: string }[]) => faults.map((f) => f.fault).join("+");

/**
 * A kubectl and a curl that get documented behaviours wrong (test/faulty-proxies/faulty-kubectl/kubectl
 * and faulty-curl/curl, started through launchers given as KAC_KUBECTL, test/support/faulty-tools.ts;
 * the documented shell pipelines find both on their PATH): the checks of those behaviours, and no
 * other, must flag them. Combined as the proxy faults are; `curl` marks a fault of the curl.
 */
const TOOL_FAULTS: { in: string[]; faults: { fault: string; failing: string[]; curl?: true }[] }[] = [
  { in: ["kubectl-proxy", "browser"], faults: [
    { fault: "tcp-instead-of-unix-socket", failing: ["KP-08"] },
    { fault: "ignore-api-prefix", failing: ["KP-09"] },
    { fault: "ignore-www", failing: ["KP-10", "BR-08"] },
    { fault: "ignore-reject-methods", failing: ["KP-11"] },
    { fault: "ignore-address", failing: ["KP-03"] },
  ] },
  { in: ["kubeconfig", "kubectl-proxy", "token"], faults: [
    // KP-03 first runs the page's `kubectl proxy --port=PORT`, then asks [::1]:PORT.
    { fault: "ignore-fixed-port", failing: ["KP-02", "KP-03"] },
    { fault: "insecure-upstream", failing: ["KP-05"] },
    { fault: "show-secrets", failing: ["KC-01"] },
    { fault: "version-client-only", failing: ["KC-04"] },
    { fault: "delete-dry-run", failing: ["TK-10"] },
    { fault: "config-view-other-server", failing: ["KC-02"] },
    { fault: "ignore-home-kubeconfig", failing: ["KC-05"] },
    { fault: "minify-yaml-other-server", failing: ["TK-02"] },
    { fault: "describe-masks-token", failing: ["TK-03"] },
    // TK-09's ServiceAccount gets its token the same way.
    { fault: "create-token-wrong-audience", failing: ["TK-06", "TK-09"] },
    { fault: "ignore-cacert", curl: true, failing: ["TK-05"] },
  ] },
  // The documented Secret is refused: TK-01, and the checks that use its token say they did not run.
  { in: ["token"], faults: [{ fault: "apply-drops-annotations", failing: ["TK-01", "TK-03", "TK-04", "TK-05", "TK-10"] }] },
  // Every request anonymous: each check that sends a bearer token, the unknown tokens of TK-08 too.
  { in: ["token"], faults: [{ fault: "drop-authorization", curl: true, failing: ["TK-04", "TK-05", "TK-06", "TK-08", "TK-09", "TK-10"] }] },
];

/**
 * Hostile proxies (they answer discovery, then hang, reset, send garbage or never end): the run ends in
 * bounded time, writes its report, and fails the checks that went through them, each with evidence.
 */
const HOSTILE_PROXIES = ["hang", "reset", "garbage", "endless"];
/** The real proxies' start scripts (test/real-proxies/). */
const REAL_PROXIES_DIR = join(PROJECT_ROOT, "test", "real-proxies");
/**
 * Proxies this project did not write, run through every proxy suite as users would run theirs, with the
 * differences from kubectl proxy found when they were added, asserted exactly so a change is noticed.
 */
const REAL_PROXIES: { script: string; what: string; suites: string[]; differences: string[] }[] = [
  { script: "old-kubectl-proxy", what: "kubectl proxy v1.35.4 (an older minor)", suites: ["kubectl-proxy", "service-proxy", "browser", "proxy-contract"], differences: ["PX-08"] },
  { script: "nginx-front", what: "nginx 1.22 with its WebSocket recipe in front of kubectl proxy", suites: ["kubectl-proxy", "service-proxy", "browser", "proxy-contract"], differences: ["PX-05"] },
  { script: "haproxy-front", what: "HAProxy 2.6 with its documented WebSocket timeouts in front of kubectl proxy", suites: ["kubectl-proxy", "service-proxy", "browser", "proxy-contract"], differences: ["PX-05"] },
];

/**
 * Kubeconfigs of the other kinds users bring, made against the same cluster: the suites that read the
 * kubeconfig's user must give correct results with each, not false failures. The non-admin user holds
 * exactly the in-cluster ClusterRole minus the node proxy: SP-18 then expects RBAC's refusal, and SP-20,
 * which needs GET on every core resource, says n/a.
 */
const CREDENTIAL_KINDS: { kind: CredentialKind; notApplicable: string[] }[] = [
  { kind: "bearer token", notApplicable: [] },
  { kind: "exec credential plugin", notApplicable: [] },
  { kind: "client certificate and key by file path", notApplicable: [] },
  { kind: "non-admin user", notApplicable: ["SP-20"] },
];
const CREDENTIAL_SUITES = ["kubeconfig", "kubectl-proxy", "token", "client-libraries", "service-proxy", "browser", "in-cluster"];

/** What a run against a hostile proxy may take at most: per-request and per-check timeouts bound it. */
const HOSTILE_RUN_BOUND_MS = 12 * 60_000;
/** How many pooled runs go at once on a two-core machine without starving PX-05's timing. */
const RUNS_AT_ONCE = 4;

describe("the harness against an existing cluster and against faulty proxies", () => {
  let dir: string;
  let cluster: KindCluster;
  let started: StartedKindCluster;
  /** The cluster's own kubectl, as a user would pass with KAC_KUBECTL. */
  let kubectl: string;

  /**
   * The real proxies' packages and the old kubectl (a Go build, minutes on a new machine), made while
   * the cluster starts and the tests before the pool run, so that no proxy command has to start in 30 s
   * meanwhile and the pool does not wait for them.
   */
  let realProxiesReady: Promise<unknown>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "kac-self-test-"));
    realProxiesReady = execFileP("bash", [join(REAL_PROXIES_DIR, "prepare.sh")], { maxBuffer: 64 * 1024 * 1024 });
    // Reported by the pool's first run, which waits for it.
    realProxiesReady.catch(() => undefined);
    const prepared = await prepareCluster(dir, new Progress(), (c) => (cluster = c));
    ({ started, kubectl } = prepared);
  });

  after(async () => {
    await removeCredentialObjects(started.kubeconfigPath).catch(() => undefined);
    await cluster.teardown();
    await rm(dir, { recursive: true, force: true });
    await rm(EMPTY_CLIENT_CACHE, { recursive: true, force: true });
  });

  /** A run of the CLI against the cluster, with its admin kubeconfig unless another is given. */
  async function runAgainstCluster(name: string, extra: string[], env: NodeJS.ProcessEnv = {}, target?: { path: string; context: string }): Promise<{ code: number | null; report: Report; stderr: string; reportPath: string }> {
    const reports = join(dir, `reports-${name.replace(/\W+/g, "-")}`);
    const { path, context } = target ?? { path: started.kubeconfigPath, context: started.contextName };
    const result = await runCli(["run", "--kubeconfig", path, "--allow-context", context, "--report-dir", reports, ...extra], { KAC_KUBECTL: kubectl, ...env });
    const reportPath = join(reports, "latest", "report.json");
    const report = JSON.parse(await readFile(reportPath, "utf8")) as Report;
    return { code: result.code, report, stderr: result.stderr, reportPath };
  }

  /** What a run must leave as it found it: the namespaces and the cluster-scoped RBAC objects, by name. */
  async function clusterScopedNames(): Promise<Record<string, string[]>> {
    const config = new KubeConfig();
    config.loadFromFile(started.kubeconfigPath);
    const [core, rbac] = [config.makeApiClient(CoreV1Api), config.makeApiClient(RbacAuthorizationV1Api)];
    const names = (list: { items: { metadata?: { name?: string } }[] }) => list.items.map((i) => i.metadata!.name!).sort();
    return {
      namespaces: names(await core.listNamespace()),
      clusterRoles: names(await rbac.listClusterRole()),
      clusterRoleBindings: names(await rbac.listClusterRoleBinding()),
    };
  }

  test("--kubeconfig: the suites pass against a running cluster and leave its namespaces and cluster-scoped RBAC as they were", async () => {
    const before = await clusterScopedNames();
    const { code, report, stderr } = await runAgainstCluster("existing", ["--suite", "kubeconfig", "--suite", "token", "--suite", "kubectl-proxy", "--suite", "in-cluster"]);
    const failed = report.checks.filter((c) => c.result === "fail").map((c) => `${c.id}: ${c.reason}`);
    assert.deepEqual(failed, [], stderr);
    assert.equal(code, 0);
    assert.equal(report.target.kind, "existing");
    for (const id of ["KC-01", "KC-04", "KP-01", "KP-07", "TK-01", "TK-10", "IC-05"]) {
      assert.equal(report.checks.find((c) => c.id === id)!.result, "pass", id);
    }
    assert.deepEqual(await clusterScopedNames(), before);
  });

  test("no token, client key or certificate of the run appears in the report files or on the terminal", async () => {
    // A kubeconfig whose user authenticates with a real bearer token (a ServiceAccount bound to
    // cluster-admin), next to the cluster's client-certificate kubeconfig: both must stay secret.
    const config = new KubeConfig();
    config.loadFromFile(started.kubeconfigPath);
    const admin = config.makeApiClient(CoreV1Api);
    await admin.createNamespacedServiceAccount({ namespace: "default", body: { metadata: { name: "kac-secret-scan" } } });
    await config.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({ body: {
      metadata: { name: "kac-secret-scan", labels: { [RUN_LABEL]: "self-test" } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "ServiceAccount", name: "kac-secret-scan", namespace: "default" }],
    } });
    try {
      const token = (await admin.createNamespacedServiceAccountToken({ name: "kac-secret-scan", namespace: "default", body: { spec: { audiences: [] } } })).status!.token!;
      const cluster = config.getCurrentCluster()!;
      const tokenConfig = join(dir, "token-kubeconfig");
      await writeFile(tokenConfig, stringify({
        apiVersion: "v1", kind: "Config", "current-context": "token",
        clusters: [{ name: "c", cluster: { server: cluster.server, "certificate-authority-data": cluster.caData } }],
        users: [{ name: "u", user: { token } }],
        contexts: [{ name: "token", context: { cluster: "c", user: "u" } }],
      }), { mode: 0o600 });
      const reports = join(dir, "reports-secrets");
      const result = await runCli(["run", "--kubeconfig", tokenConfig, "--allow-context", "token", "--report-dir", reports,
        "--suite", "kubeconfig", "--suite", "token", "--suite", "kubectl-proxy"], { KAC_KUBECTL: kubectl });
      assert.equal(result.code, 0, result.stderr);
      const user = config.getCurrentUser()!;
      const secrets = { token, "client key": user.keyData!, "client certificate": user.certData!,
        "client key (PEM)": Buffer.from(user.keyData!, "base64").toString().split("\n")[1]! };
      const outputs: [string, string][] = [["stdout", result.stdout], ["stderr", result.stderr]];
      const runDir = join(reports, "latest");
      for (const file of await readdir(runDir)) outputs.push([file, await readFile(join(runDir, file), "utf8")]);
      assert.ok(outputs.length >= 6, "report.json, report.md, report.html, junit.xml, run.json and the terminal");
      for (const [what, secret] of Object.entries(secrets)) {
        for (const [where, text] of outputs) assert.ok(!text.includes(secret), `the ${what} appears in ${where}`);
      }
    } finally {
      await config.makeApiClient(RbacAuthorizationV1Api).deleteClusterRoleBinding({ name: "kac-secret-scan" });
      await admin.deleteNamespacedServiceAccount({ name: "kac-secret-scan", namespace: "default" });
    }
  });

  for (const signals of [["SIGTERM"], ["SIGINT", "SIGINT"]] as const) {
    test(`${signals.join(" then ")} while the suites run: exit ${signals[0] === "SIGTERM" ? 143 : 130}, the cluster's namespaces and RBAC as they were`, async () => {
      const config = new KubeConfig();
      config.loadFromFile(started.kubeconfigPath);
      const api = config.makeApiClient(CoreV1Api);
      const before = await clusterScopedNames();
      const cli = startCli(["run", "--kubeconfig", started.kubeconfigPath, "--allow-context", started.contextName, "--report-dir", join(dir, "reports-killed"),
        "--suite", "service-proxy", "--suite", "in-cluster"], { KAC_KUBECTL: kubectl });
      // Once the suites have created their namespaces, the run is in the middle of its work.
      await waitFor("the suites' namespaces", async () => ((await api.listNamespace({ labelSelector: RUN_LABEL })).items.length >= 2 ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 250, lastSeen: () => `the run so far:\n${cli.output()}` });
      for (const signal of signals) {
        cli.child.kill(signal);
        await sleep(300);
      }
      const result = await cli.done;
      assert.equal(result.code, signals[0] === "SIGTERM" ? 143 : 130, result.stderr);
      assert.deepEqual(await clusterScopedNames(), before);
    });
  }

  test("a proxy command that exits at once is one line, exit 2, and leaves the cluster's namespaces and RBAC as they were", async () => {
    const before = await clusterScopedNames();
    const reports = join(dir, "reports-exiting-proxy");
    const result = await runCli(["run", "--kubeconfig", started.kubeconfigPath, "--allow-context", started.contextName, "--report-dir", reports,
      "--proxy-command", "sh -c 'echo no such upstream >&2; exit 3' {port}"], { KAC_KUBECTL: kubectl });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: the proxy under test did not start: the proxy command exited 3 before answering: no such upstream; check --proxy-command/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(await clusterScopedNames(), before);
  });

  /** The clean proxy-under-test run's report: the baseline every faulty proxy's run is compared with. */
  let baseline: string | undefined;

  test("kubectl proxy itself as the proxy under test: no check fails, no difference side by side, and the run leaves the cluster as it was", async () => {
    const before = await clusterScopedNames();
    const { code, report, stderr, reportPath } = await runAgainstCluster("clean proxy under test",
      ["--proxy-command", `${kubectl} proxy --port={port} --kubeconfig={kubeconfig}`, ...suites("kubectl-proxy", "service-proxy", "browser", "proxy-contract")]);
    assert.deepEqual(report.checks.filter((c) => c.result === "fail").map((c) => `${c.id}: ${c.reason}`), [], stderr);
    assert.equal(code, 0);
    assert.ok((report.proxyComparison ?? []).length >= 20, "the side-by-side table covers the proxy checks");
    assert.deepEqual(report.proxyComparison!.filter((r) => r.differs).map((r) => r.id), []);
    assert.deepEqual(await clusterScopedNames(), before);
    baseline = reportPath;
  });

  test("the npm package: packed, installed into an empty project, run there with npx; its API loads; nothing written into node_modules", async () => {
    const project = join(dir, "user-project");
    await mkdir(project, { recursive: true });
    const npm = (args: string[], cwd: string) => execFileP("npm", args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    const { stdout: packed } = await npm(["pack", "--silent", "--pack-destination", dir], PROJECT_ROOT);
    const tarball = join(dir, packed.trim().split("\n").at(-1)!);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "a-proxy-project", private: true, type: "module" }));
    await npm(["install", "--no-audit", "--no-fund", "--save-dev", tarball], project);
    const installed = join(project, "node_modules", "kube-access-conformance");
    const filesBefore = await listFiles(installed);
    const help = await execFileP("npx", ["kube-access-conformance", "--help"], { cwd: project });
    assert.match(help.stdout, /^Usage: kube-access-conformance <command>/);
    const run = await execFileP("npx", ["kube-access-conformance", "run", "--kubeconfig", started.kubeconfigPath, "--allow-context", started.contextName, "--suite", "kubeconfig"],
      { cwd: project, env: { ...process.env, KAC_KUBECTL: kubectl } }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const kubeconfigChecks = CATALOG.filter((e) => e.section === "kubeconfig").length;
    assert.match(run.stdout, new RegExp(`^${kubeconfigChecks} passed, 0 failed, 0 skipped, \\d+ not selected$`, "m"), run.stderr);
    const api = await execFileP(process.execPath, ["--input-type=module", "-e",
      "const m = await import('kube-access-conformance'); const r = m.readReport('reports/latest/report.json'); console.log(typeof m.KindCluster, typeof m.runChecks, r.checks.length, r.summary.pass)"], { cwd: project });
    assert.equal(api.stdout.trim(), `function function ${CATALOG.length} ${kubeconfigChecks}`);
    assert.deepEqual(await listFiles(installed), filesBefore, "the installed package is left as installed");
  });

  test("--proxy-url with a base path: kubectl proxy mounting the API under /k8s-api/ shows no difference", async () => {
    const { KubectlProxy } = await import("../../harness/proxy/kubectl-proxy.ts");
    const prefixed = await KubectlProxy.start(kubectl, started.kubeconfigPath, ["--port=0", "--api-prefix=/k8s-api/"]);
    try {
      const { code, report, stderr } = await runAgainstCluster("prefixed proxy", ["--proxy-url", `${prefixed.url}/k8s-api`, ...suites("kubectl-proxy", "service-proxy")]);
      assert.deepEqual(report.checks.filter((c) => c.result === "fail").map((c) => `${c.id}: ${c.reason}`), [], stderr);
      assert.equal(code, 0);
      assert.ok((report.proxyComparison ?? []).length >= 10, "the proxy under test was asked");
      assert.deepEqual(report.proxyComparison!.filter((r) => r.differs).map((r) => r.id), []);
    } finally {
      await prefixed.stop();
    }
  });

  test("a proxy that passes every check but is many times slower than the baseline's is a latency regression", async () => {
    assert.ok(baseline, "the clean proxy-under-test run made a baseline");
    const { code, report, stderr } = await runAgainstCluster("slow proxy", [...proxy("slow-responses"), "--grep", "^KP-0[14] ", "--baseline", baseline!]);
    assert.deepEqual(report.checks.filter((c) => c.result === "fail").map((c) => c.id), [], stderr);
    assert.deepEqual(report.latencyRegressions?.filter((l) => l.path === "proxy under test").map((l) => l.metric), ["p50", "p95"], stderr);
    assert.equal(code, 1, "a latency regression fails the run");
    assert.match(stderr, /regression: proxy under test p50 [\d.]+ ms, now [\d.]+ ms \(more than ×2\)/);
  });

  /**
   * Faults of the cluster itself, which every run on it would see: run alone, before the pool, and
   * undone afterwards. RBAC added for anonymous users (the API's discovery and Service proxies) and for
   * every ServiceAccount (Service proxies), and MetalLB's address pool no longer assigning addresses.
   */
  const CLUSTER_FAULT_RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: kac-fault-open-proxies }
rules:
- { nonResourceURLs: ["/api", "/api/*"], verbs: [get] }
- { apiGroups: [""], resources: [services/proxy], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kac-fault-open-proxies }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kac-fault-open-proxies }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:unauthenticated" }
- { apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts" }
`;
  test("RBAC opened to anonymous users and every ServiceAccount, and the load balancer's addresses withheld: flagged by TK-07, SP-22, SP-24, BR-06, and by nothing else", async () => {
    const before = await clusterScopedNames();
    const kubectlIn = clusterKubectl(kubectl, started.kubeconfigPath);
    const autoAssign = (on: boolean) => kubectlIn(["patch", "ipaddresspools.metallb.io", "-n", METALLB_NAMESPACE, METALLB_POOL, "--type", "merge", "-p", JSON.stringify({ spec: { autoAssign: on } })]);
    await kubectlIn(["apply", "-f", "-"], CLUSTER_FAULT_RBAC);
    await autoAssign(false);
    try {
      const { code, report, stderr } = await runAgainstCluster("cluster faults", suites("token", "service-proxy", "browser"));
      const failed = report.checks.filter((c) => c.result === "fail");
      assert.deepEqual(failed.map((c) => c.id), ["TK-07", "SP-22", "SP-24", "BR-06"], `${stderr}\n${failed.map((c) => `${c.id}: ${c.reason}`).join("\n")}`);
      assert.equal(code, 1);
      for (const check of failed) assert.ok(check.evidence.length > 0, `${check.id} carries evidence`);
    } finally {
      await autoAssign(true);
      await kubectlIn(["delete", "-f", "-"], CLUSTER_FAULT_RBAC);
    }
    assert.deepEqual(await clusterScopedNames(), before);
  });

  /**
   * The runs that do not share anything (each has its own namespaces and proxies): the broken targets,
   * contract faults, hostile and real proxies, credential kinds, faulty proxies and kubectl, and the
   * harness inside the cluster. They go RUNS_AT_ONCE at a time once the tests above have run alone,
   * the longest first.
   */
  const pool = new RunPool(RUNS_AT_ONCE, () => realProxiesReady);
  type PooledRun = Awaited<ReturnType<typeof runAgainstCluster>> & { ms: number; leftovers: string[] };
  const poolRun = (key: string, args: () => string[], env: () => Promise<NodeJS.ProcessEnv> | NodeJS.ProcessEnv = () => ({}), target?: () => Promise<{ path: string; context: string }>) =>
    pool.add(key, async (): Promise<PooledRun> => {
      const began = Date.now();
      // Two suites at a time in each: RUNS_AT_ONCE runs share two CPUs (and PX-05's timing with them).
      const run = await runAgainstCluster(`pooled ${key}`, [...args(), "--workers", "2"], await env(), await target?.());
      return { ...run, ms: Date.now() - began, leftovers: await leftoversOf(run.report.runId) };
    });

  /** The namespaces and cluster-scoped RBAC objects labelled with the run: what it must have removed, whatever else runs beside it. */
  async function leftoversOf(runId: string): Promise<string[]> {
    const config = new KubeConfig();
    config.loadFromFile(started.kubeconfigPath);
    const [core, rbac] = [config.makeApiClient(CoreV1Api), config.makeApiClient(RbacAuthorizationV1Api)];
    const labelSelector = `${RUN_LABEL}=${labelValue(runId)}`;
    const lists = await Promise.all([core.listNamespace({ labelSelector }), rbac.listClusterRole({ labelSelector }), rbac.listClusterRoleBinding({ labelSelector })]);
    return lists.flatMap((list, i) => list.items.map((item) => `${["namespace", "ClusterRole", "ClusterRoleBinding"][i]} ${item.metadata!.name!}`));
  }

  /** The harness run inside the cluster (as a Job, as a Sonobuoy plugin) in a directory of its own; resolves with its figures' lines. */
  const inClusterRun = (key: string, name: string, run: typeof runHarnessJob) => pool.add(key, async () => {
    const runDir = join(dir, name);
    await mkdir(runDir);
    const log: string[] = [];
    await run({ dir: runDir, started, kubectl, log: (line) => log.push(line) });
    return log;
  });
  const inClusterJob = inClusterRun("the harness as a Job", "in-cluster-job", runHarnessJob);
  const sonobuoyPlugin = SONOBUOY ? inClusterRun("the harness as a Sonobuoy plugin", "sonobuoy", runSonobuoyPlugin) : undefined;
  const realProxyRuns = new Map(REAL_PROXIES.map((r) => [r.script, poolRun(r.script, () => ["--proxy-command", `bash ${join(REAL_PROXIES_DIR, `${r.script}.sh`)} {port} {kubeconfig}`, ...suites(...r.suites)])]));
  const credentialRuns = new Map(CREDENTIAL_KINDS.map(({ kind }) => [kind, poolRun(kind, () => suites(...CREDENTIAL_SUITES), undefined, async () => {
    const credentials = join(dir, `credentials-${kind.replace(/\W+/g, "-")}`);
    await mkdir(credentials, { recursive: true });
    return writeCredentialKubeconfig(kind, started.kubeconfigPath, credentials);
  })]));
  const contractRuns = new Map(CONTRACT_FAULTS.map(({ fault }) => [fault, poolRun(fault, () => [...proxy(fault), ...suites("proxy-contract")])]));
  const hostileRuns = new Map(HOSTILE_PROXIES.map((fault) => [fault, poolRun(fault, () => [...proxy(fault), ...suites("proxy-contract")])]));
  // The broken targets' proxy runs are compared with the clean run's report, made before the pool starts.
  const brokenRuns = new Map(BROKEN.map(({ what, args, env }) => [what, poolRun(what, () => [...args, ...(args.includes("--proxy-command") ? ["--baseline", baseline!] : [])], () => env ?? {})]));
  const proxyFaultRuns = new Map(PROXY_FAULTS.map(({ in: names, faults }) => [proxyFaultsKey(faults), poolRun(proxyFaultsKey(faults), () => [...proxy(proxyFaultsKey(faults)), ...suites(...names)])]));
  const toolFaultRuns = new Map(TOOL_FAULTS.map(({ in: names, faults }, i) => [proxyFaultsKey(faults), poolRun(`tools ${proxyFaultsKey(faults)}`, () => suites(...names), async () => ({
    KAC_KUBECTL: await faultyTools(join(dir, `faulty-tools-${i}`), kubectl, { kubectl: proxyFaultsKey(faults.filter((f) => !f.curl)), curl: proxyFaultsKey(faults.filter((f) => f.curl)) }),
  }))]));

  test("run --in-cluster as a Job: every catalog ID in the report, nothing failed, what needs the outside says so", async (t) => {
    for (const line of await inClusterJob()) t.diagnostic(line);
  });

  test("sonobuoy run, retrieve and results: the counts are the report's, under the plugin's JUnit mapping; delete leaves nothing",
    { skip: SONOBUOY ? false : "no sonobuoy CLI: set KAC_SONOBUOY or put sonobuoy (v0.57) on PATH" }, async (t) => {
      for (const line of await sonobuoyPlugin!()) t.diagnostic(line);
    });

  for (const { script, what, suites: names, differences } of REAL_PROXIES) {
    test(`a real proxy, ${what}: exactly the differences the README records (${differences.join(", ") || "none"})`, async () => {
      const { report, stderr } = await realProxyRuns.get(script)!();
      const failed = report.checks.filter((c) => c.result === "fail");
      assert.deepEqual(failed.map((c) => c.id), differences, `${stderr}\n${failed.map((c) => `${c.id}: ${c.reason}`).join("\n")}`);
      assert.ok(report.checks.filter((c) => names.includes(c.section)).every((c) => c.result !== "skip"), "every selected check ran");
    });
  }

  for (const { kind, notApplicable } of CREDENTIAL_KINDS) {
    test(`a kubeconfig with a ${kind}: no check fails${notApplicable.length ? `, ${notApplicable.join(" and ")} n/a as RBAC says` : ""}`, async () => {
      const { code, report, stderr } = await credentialRuns.get(kind)!();
      const failed = report.checks.filter((c) => c.result === "fail");
      assert.deepEqual(failed.map((c) => `${c.id}: ${c.reason}`), [], stderr);
      assert.equal(code, 0);
      const na = report.checks.filter((c) => c.result === "n/a" && c.id !== "SP-22").map((c) => c.id);
      assert.deepEqual(na, notApplicable, report.checks.filter((c) => c.result === "n/a").map((c) => `${c.id}: ${c.reason}`).join("\n"));
      const ran = report.checks.filter((c) => CREDENTIAL_SUITES.includes(c.section));
      assert.ok(ran.every((c) => c.result !== "not-selected"), "every check of the credential suites ran");
    });
  }

  for (const { fault, failing } of CONTRACT_FAULTS) {
    test(`contract fault ${fault}: flagged by ${failing.join(", ")}, and by nothing else`, async () => {
      const { code, report, stderr } = await contractRuns.get(fault)!();
      const failed = report.checks.filter((c) => c.result === "fail");
      assert.deepEqual(failed.map((c) => c.id), failing, `${stderr}\n${failed.map((c) => `${c.id}: ${c.reason}`).join("\n")}`);
      assert.equal(code, 1);
      for (const check of failed) assert.ok(check.evidence.some((e) => e.path === "proxy under test"), `${check.id} carries the proxy under test's answers`);
    });
  }

  for (const fault of HOSTILE_PROXIES) {
    test(`a hostile proxy (${fault}): the run ends in bounded time, its checks fail with evidence, the report is written`, async () => {
      const { code, report, ms, stderr } = await hostileRuns.get(fault)!();
      assert.equal(code, 1, stderr);
      assert.ok(ms < HOSTILE_RUN_BOUND_MS, `the run took ${Math.round(ms / 1000)} s`);
      const failed = report.checks.filter((c) => c.result === "fail");
      for (const id of ["PX-01", "PX-06", "PX-07", "PX-08"]) assert.ok(failed.some((c) => c.id === id), `${id} fails through a proxy that ${fault}s`);
      for (const check of failed) assert.ok(check.evidence.length > 0, `${check.id} carries evidence`);
    });
  }

  /** Asserts that a run was flagged by exactly the given checks, each with evidence, and removed what it made. */
  function assertFlaggedBy({ code, report, stderr, leftovers }: PooledRun, failing: string[]): void {
    const failed = report.checks.filter((c) => c.result === "fail");
    assert.deepEqual(failed.map((c) => c.id), failing, `${stderr}\n${failed.map((c) => `${c.id}: ${c.reason}`).join("\n")}`);
    assert.equal(code, failing.length ? 1 : 0);
    for (const check of failed) assert.ok(check.evidence.length > 0, `${check.id} carries evidence`);
    // A run whose checks fail (exit 1) cleans up like any other.
    assert.deepEqual(leftovers, [], "what the run created is gone");
  }

  for (const { what, args, failing } of BROKEN) {
    test(`${what}: flagged by ${failing.join(", ")}, and by nothing else`, async () => {
      const run = await brokenRuns.get(what)!();
      assertFlaggedBy(run, failing);
      if (args.includes("--proxy-command")) {
        assert.deepEqual(run.report.regressions?.map((r) => r.id), failing, "the differences are regressions against the clean run");
        assert.deepEqual(run.report.proxyComparison!.filter((r) => r.differs).map((r) => r.id), failing);
      }
    });
  }

  /** The union of the faults' IDs, in the report's (the catalog's) order. */
  const union = (faults: { failing: string[] }[]) => CATALOG.map((e) => e.id).filter((id) => faults.some((f) => f.failing.includes(id)));
  for (const [runs, prefix, table] of [[proxyFaultRuns, "faulty proxy", PROXY_FAULTS], [toolFaultRuns, "faulty kubectl or curl", TOOL_FAULTS]] as const) {
    for (const { faults } of table) {
      const failing = union(faults);
      test(`${prefix} ${proxyFaultsKey(faults)}: flagged by ${failing.join(", ")}, and by nothing else`, async () => {
        assertFlaggedBy(await runs.get(proxyFaultsKey(faults))!(), failing);
      });
    }
  }
});
