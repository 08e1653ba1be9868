import { gunzipSync } from "node:zlib";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiextensionsV1Api, AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { GenericContainer, getContainerRuntimeClient } from "testcontainers";
import { ask, askAll, directPath, proxyPath, type ApiPath } from "./support/api-paths.ts";
import { BACKEND_PORTS, deployBackend, service, untilEndpointsReady } from "./support/backend.ts";
import { check, expect, test } from "./support/check.ts";
import { clusterSettled } from "./support/cluster-settled.ts";
import { EvidenceLog } from "./support/evidence.ts";
import { http } from "./support/http.ts";
import { KubectlProxy, startProxy } from "./support/kubectl-proxy.ts";
import { ProxyUnderTest } from "../harness/proxy/proxy-under-test.ts";
import { RUN_LABEL } from "../harness/ground/labels.ts";
import { METALLB_NAMESPACE, METALLB_VERSION } from "../harness/kind/actions/install-load-balancer.ts";
import { chooseReaperImage } from "../harness/kind/reaper-image.ts";
import { useSuiteNamespace } from "./support/namespace.ts";
import { inPod, startProbePod } from "./support/probe-pod.ts";
import { serviceAccountWithToken } from "./support/service-account.ts";
import { userMay } from "./support/access-review.ts";
import type { HttpAnswer } from "./support/http.ts";
import type { RunContext } from "../harness/ground/run-context.ts";
import { atLeast, parseKubernetesVersion } from "../harness/kind/kubernetes-version.ts";

// access-cluster-services#manually-constructing-apiserver-proxy-urls: the API server proxies to
// Services, Pods and nodes at /api/v1/namespaces/NS/services/[https:]NAME[:PORT]/proxy/PATH. Every
// URL form is asked through `kubectl proxy` and straight to the API server with a bearer token, and the
// two must agree; the fixture's answer says which port and scheme served it.

// Not serial: a failing check must not hide the results of the others. After a failure Playwright
// starts a fresh worker, which sets the suite up again.
const ns = useSuiteNamespace(test, "service-proxy");
const BACKEND = "backend";
const NODE_PORT_SERVICE = "nodeport";
let paths: ApiPath[];
let proxy: KubectlProxy;
let underTest: ProxyUnderTest | undefined;
/** A token of a ServiceAccount with no permissions at all. */
let powerless: ApiPath;

/** SP-25's replicas: two Ready, one running but never Ready; all selected by the Service "lb". */
const LB = "lb";
const LB_READY = ["lb-a", "lb-b"];
const LB_UNREADY = "lb-unready";
/** SP-11's Pod that runs but never becomes Ready, the only one its Service "unready" selects. */
const NEVER_READY = "never-ready";

/**
 * SP-16's Services labelled `kubernetes.io/cluster-service=true`, with what `kubectl cluster-info` lists
 * for each: the display name (the `kubernetes.io/name` label, else the Service's name) and the Service
 * part of the proxy URL, which names the first port (`NAME:PORT_NAME`; `https:NAME:PORT_NAME` when it is
 * port 443 or named "https"), and which backend port and scheme that URL reaches.
 */
const LISTED = [
  { name: "kac-listed", shownAs: "kac-listed", ports: [{ port: 80, targetPort: 8080 }], inUrl: "kac-listed", scheme: "http", reaches: 8080 },
  { name: "kac-listed-named", shownAs: "kac-listed-named", ports: [{ name: "web", port: 8080, targetPort: 8081 }, { name: "https", port: 443, targetPort: 8443 }], inUrl: "kac-listed-named:web", scheme: "http", reaches: 8081 },
  { name: "kac-listed-tls", shownAs: "KacTls", ports: [{ name: "tls", port: 443, targetPort: 8443 }], inUrl: "https:kac-listed-tls:tls", scheme: "https", reaches: 8443 },
] as const;

const services = [
  service("plain", BACKEND, [{ port: 80, targetPort: 8080 }]),
  service("secure", BACKEND, [{ port: 443, targetPort: 8443 }]),
  // Every Service port differs from its target port, and the "alt" ports' numbers are ports the backend
  // also listens on: a proxy that dials the Service port on the Pod (or looks the number up among the
  // target ports) reaches another port or none, and the echo says which (SP-03, SP-06).
  service("multi", BACKEND, [
    { name: "http", port: 80, targetPort: 8080 },
    { name: "alt", port: 8080, targetPort: 8081 },
    { name: "https", port: 443, targetPort: 8443 },
    { name: "https-alt", port: 8443, targetPort: 8444 },
  ]),
  service("empty", "kac-nothing", [{ port: 80, targetPort: 8080 }]),
  service("unready", NEVER_READY, [{ port: 80, targetPort: 8080 }]),
  ...LISTED.map((l) => service(l.name, BACKEND, [...l.ports], { metadata: { name: l.name, labels: { "kubernetes.io/cluster-service": "true", ...(l.shownAs !== l.name ? { "kubernetes.io/name": l.shownAs } : {}) } } })),
  service("udp", BACKEND, [{ name: "dns", port: 53, targetPort: BACKEND_PORTS.udp, protocol: "UDP" }]),
  service("lb", LB, [{ port: 80, targetPort: 8080 }]),
];

test.beforeAll(async ({ run }) => {
  await Promise.all([
    deployBackend(ns.config, ns.name, run.fixtureImage, BACKEND, services),
    ...LB_READY.map((name) => deployBackend(ns.config, ns.name, run.fixtureImage, name, [], { app: LB })),
    deployBackend(ns.config, ns.name, run.fixtureImage, LB_UNREADY, [], { app: LB, neverReady: true }),
    deployBackend(ns.config, ns.name, run.fixtureImage, NEVER_READY, [], { neverReady: true }),
  ]);
  // The replicas came up apart from their Service; SP-25 needs both listed before it counts them.
  await untilEndpointsReady(ns.config, ns.name, LB, LB_READY);
  const rights = [{ apiGroups: [""], resources: ["services/proxy", "pods/proxy"], verbs: ["*"] }];
  const token = await serviceAccountWithToken(ns.config, ns.name, "kac-proxy-client", rights);
  proxy = await startProxy(run, new EvidenceLog(), ["--port=0"]);
  underTest = await ProxyUnderTest.start(run);
  paths = [proxyPath(proxy), await directPath(run, token), ...(underTest ? [underTest.path] : [])];
  powerless = { ...(await directPath(run, await serviceAccountWithToken(ns.config, ns.name, "kac-no-rights", []))), name: "direct, no RBAC" };
});

test.afterAll(async () => {
  await proxy?.stop();
  await underTest?.stop();
});

const svc = (id: string, rest = "/") => `/api/v1/namespaces/${ns.name}/services/${id}/proxy${rest}`;
const pod = (id: string, rest = "/") => `/api/v1/namespaces/${ns.name}/pods/${id}/proxy${rest}`;

interface Echo {
  fixture: string;
  scheme: string;
  port: number;
  method: string;
  path: string;
  rawQuery: string;
  body?: string;
}

/** Asks every path and checks each answered 200 from the expected backend port and scheme. */
async function expectBackend(evidence: EvidenceLog, apiPath: string, scheme: "http" | "https", port: number): Promise<Echo[]> {
  const answers = await askAll(evidence, paths, apiPath);
  return answers.map((answer) => {
    expect(answer.status, answer.body).toBe(200);
    const echo = JSON.parse(answer.body) as Echo;
    expect(echo.fixture).toBe("kac-fixture");
    expect({ scheme: echo.scheme, port: echo.port }).toEqual({ scheme, port });
    return echo;
  });
}

function expectNoBackend(answers: HttpAnswer[]): void {
  for (const answer of answers) expect(answer.body).not.toContain("kac-fixture");
}

check("SP-01", async ({ evidence }) => {
  await expectBackend(evidence, svc("plain"), "http", 8080);
});

check("SP-02", async ({ evidence }) => {
  await expectBackend(evidence, svc("multi:alt"), "http", 8081);
});

/**
 * The port number in `NAME:PORT` is the Service's port, never the container's: a number that is only a
 * target port is no port of the Service (503 "no service port"), and the backend is not reached.
 */
async function expectNoServicePort(evidence: EvidenceLog, id: string): Promise<void> {
  const answers = await askAll(evidence, paths, svc(id));
  for (const answer of answers) {
    expect(answer.status, `${id}: ${answer.body}`).toBe(503);
    expect(answer.body).toContain("no service port");
  }
  expectNoBackend(answers);
}

check("SP-03", async ({ evidence }) => {
  // A named port by its number (Service port 8080, target port 8081), and an unnamed one (80 → 8080).
  await expectBackend(evidence, svc("multi:8080"), "http", 8081);
  await expectBackend(evidence, svc("plain:80"), "http", 8080);
  await expectNoServicePort(evidence, "multi:8081");
});

check("SP-04", async ({ evidence }) => {
  await expectBackend(evidence, svc("https:secure:"), "https", 8443);
});

check("SP-05", async ({ evidence }) => {
  await expectBackend(evidence, svc("https:multi:https-alt"), "https", 8444);
});

check("SP-06", async ({ evidence }) => {
  // A named port by its number (Service port 8443, target port 8444), and an unnamed one (443 → 8443).
  await expectBackend(evidence, svc("https:multi:8443"), "https", 8444);
  await expectBackend(evidence, svc("https:secure:443"), "https", 8443);
  await expectNoServicePort(evidence, "https:multi:8444");
});

check("SP-07", async ({ evidence }) => {
  await expectBackend(evidence, svc("http:multi:alt"), "http", 8081);
});

check("SP-08", async ({ evidence }) => {
  // Without the trailing colon the id parses as NAME:PORT: service "https", port "secure".
  const answers = await askAll(evidence, paths, svc("https:secure"));
  expect([404, 503]).toContain(answers[0]!.status);
  expectNoBackend(answers);
});

check("SP-09", async ({ evidence }) => {
  const answers = await askAll(evidence, paths, svc("ftp:plain:"));
  expect(answers[0]!.status).toBe(400);
  expectNoBackend(answers);
});

check("SP-10", async ({ evidence }) => {
  const byName = await askAll(evidence, paths, svc("multi:nosuch"));
  expect(byName[0]!.status).toBe(503);
  for (const answer of byName) expect(answer.body).toContain("no endpoints available");
  const byNumber = await askAll(evidence, paths, svc("multi:9999"));
  expect(byNumber[0]!.status).toBe(503);
  for (const answer of byNumber) expect(answer.body).toContain("no service port");
});

check("SP-11", async ({ evidence }) => {
  // No Pods at all, and a Pod that runs but never becomes Ready: the same 503 Status either way.
  for (const name of ["empty", "unready"]) {
    const answers = await askAll(evidence, paths, svc(name));
    for (const answer of answers) {
      expect(answer.status, `${name}: ${answer.body}`).toBe(503);
      expect(JSON.parse(answer.body), name).toMatchObject({ kind: "Status", code: 503, reason: "ServiceUnavailable", message: `no endpoints available for service "${name}"` });
    }
    expectNoBackend(answers);
  }
});

check("SP-12", async ({ evidence, run, verdict }) => {
  const answers = await askAll(evidence, paths, svc("kac-missing"));
  expectNoBackend(answers);
  // Kubernetes 1.37 resolves the proxy's target from EndpointSlices alone (pkg/registry/core/service/
  // storage ResourceLocation) and no longer reads the Service first: a missing Service is then
  // indistinguishable from one without endpoints.
  if (atLeast(parseKubernetesVersion(run.target.serverVersion), 1, 37)) {
    expect(answers[0]!.status).toBe(503);
    for (const answer of answers) expect(JSON.parse(answer.body)).toMatchObject({ kind: "Status", code: 503, reason: "ServiceUnavailable", message: 'no endpoints available for service "kac-missing"' });
    verdict.docDrift("from Kubernetes 1.37 a missing Service answers 503 \"no endpoints available\" (the proxy reads EndpointSlices only), where earlier minors answered 404 NotFound");
    return;
  }
  expect(answers[0]!.status).toBe(404);
});

check("SP-13", async ({ evidence }) => {
  for (const [rest, path, query] of [["/_search?q=user:kimchy", "/_search", "q=user:kimchy"], ["/_cluster/health?pretty=true", "/_cluster/health", "pretty=true"]] as const) {
    for (const echo of await expectBackend(evidence, svc("plain", rest), "http", 8080)) {
      expect({ path: echo.path, rawQuery: echo.rawQuery }).toEqual({ path, rawQuery: query });
    }
  }
});

check("SP-14", async ({ evidence }) => {
  const answers = await askAll(evidence, paths, svc("plain", ""));
  for (const answer of answers) {
    expect(answer.status).toBe(301);
    expect(String(answer.headers.location)).toMatch(new RegExp(`${svc("plain").replaceAll("/", "\\/")}$`));
  }
});

check("SP-15", async ({ evidence }) => {
  for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
    // Every method that may carry a body sends one of its own; the backend echoes what it received.
    const sent = method === "GET" || method === "HEAD" ? undefined : `kac-sp15 ${method} body: a=1&b=two\n{"json": [1, 2]} \u00e9\u00e8`;
    const answers = await askAll(evidence, paths, svc("plain", "/method"), { method, ...(sent === undefined ? {} : { body: sent, headers: { "content-type": "text/plain; charset=utf-8" } }) });
    answers.forEach((answer, i) => {
      const via = `${method} via ${paths[i]!.name}`;
      expect(answer.status, `${via}: ${answer.body}`).toBe(200);
      // HEAD has no body; the fixture also says what it saw in headers.
      expect(answer.headers["x-kac-method"], via).toBe(method);
      expect(answer.headers["x-kac-port"], via).toBe("8080");
      if (method === "HEAD") return;
      const echo = JSON.parse(answer.body) as Echo;
      expect({ method: echo.method, path: echo.path }, via).toEqual({ method, path: "/method" });
      // The fixture leaves "body" out when none arrived.
      expect(echo.body ?? "", `${via}: the body the backend received`).toBe(sent ?? "");
    });
  }
});

/** "NAME is running at URL" lines of `kubectl cluster-info` (colored on a terminal), in order. */
function runningAt(stdout: string): { name: string; url: string }[] {
  return stdout.replace(/\u001b\[[0-9;]*m/g, "").split("\n").flatMap((line) => {
    const match = /^(.+) is running at (\S+)$/.exec(line.trim());
    return match ? [{ name: match[1]!, url: match[2]! }] : [];
  });
}

check("SP-16", async ({ run, kubectl, evidence, verdict }) => {
  const drift: string[] = [];
  // The page's command as written (kube-system), compared with its sample output.
  const asDocumented = await kubectl.kubectl("cluster-info");
  expect(asDocumented.code, asDocumented.stderr).toBe(0);
  const [head, ...builtIn] = runningAt(asDocumented.stdout);
  // The page: "Kubernetes master is running at https://192.0.2.1".
  expect(head?.name, asDocumented.stdout).toMatch(/^Kubernetes (master|control plane)$/);
  expect(head!.url.replace(/\/$/, "")).toBe(run.target.server.replace(/\/$/, ""));
  if (head!.name !== "Kubernetes master") drift.push(`it prints "${head!.name} is running at https://HOST:PORT" where the page shows "Kubernetes master is running at https://192.0.2.1"`);
  // Its Service lines: the API server's proxy URL of a Service in kube-system (a LoadBalancer Service
  // is listed by its external http://IP:PORT instead).
  const server = head!.url.replace(/\/$/, "");
  const proxied = builtIn.filter((line) => line.url.startsWith(`${server}/`));
  for (const line of proxied) expect(line.url, line.name).toMatch(new RegExp(`^${quoted(server)}/api/v1/namespaces/kube-system/services/[^/]+/proxy$`));
  const withPort = proxied.find((line) => /\/services\/[^/]*:[^/]*\/proxy$/.test(line.url));

  // The suite's namespace: exactly the labelled Services, each as kubectl forms its URL.
  const listing = await kubectl.kubectl("cluster-info", "--namespace", ns.name);
  expect(listing.code, listing.stderr).toBe(0);
  const listed = runningAt(listing.stdout).slice(1);
  const base = `${server}/api/v1/namespaces/${ns.name}/services`;
  expect(listed.sort((a, b) => a.name.localeCompare(b.name)), "the labelled Services, and no other (plain, multi, empty, … carry no label)")
    .toEqual(LISTED.map((l) => ({ name: l.shownAs, url: `${base}/${l.inUrl}/proxy` })).sort((a, b) => a.name.localeCompare(b.name)));
  const named = LISTED.filter((l) => l.inUrl !== l.name).map((l) => `\`…/services/${l.inUrl}/proxy\``).join(", ");
  drift.push(`a Service's URL names its first port, \`NAME:PORT_NAME\` or \`https:NAME:PORT_NAME\` (port 443 or named https; ${named}${withPort ? `; in kube-system "${withPort.name} is running at https://HOST:PORT${new URL(withPort.url).pathname}"` : ""}), where the page shows only \`…/services/NAME/proxy\` forms`);

  // The listed URLs answer on every path: kubectl proxy, the direct path, and the proxy under test.
  for (const entry of LISTED) {
    const { pathname } = new URL(`${base}/${entry.inUrl}/proxy`);
    for (const path of paths) {
      const answer = await ask(evidence, path, `${pathname}/`);
      expect(answer.status, `${entry.inUrl} via ${path.name}: ${answer.body}`).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ fixture: "kac-fixture", scheme: entry.scheme, port: entry.reaches });
    }
  }
  verdict.docDrift(`kubectl cluster-info: ${drift.join("; ")}`);
});

function quoted(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

check("SP-17", async ({ evidence }) => {
  await expectBackend(evidence, pod(BACKEND), "http", 80);
  await expectBackend(evidence, pod(`${BACKEND}:8081`), "http", 8081);
  await expectBackend(evidence, pod(`https:${BACKEND}:8443`), "https", 8443);
});

check("SP-18", async ({ evidence }) => {
  const nodes = await ns.config.makeApiClient(CoreV1Api).listNode();
  const node = nodes.items[0]!.metadata!.name!;
  // Allowed or denied as RBAC says: the kubeconfig's user (through kubectl proxy, and a proxy under
  // test, which acts with the same kubeconfig) gets the kubelet's answer exactly when the authorizer
  // lets it proxy to the node; a ServiceAccount without RBAC is always refused.
  const allowed = await userMay(ns.config, evidence, { verb: "get", resource: "nodes", subresource: "proxy", name: node });
  const withKubeconfigRights = paths.filter((p) => p.name !== "direct");
  for (const id of [node, `${node}:10250`]) {
    for (const path of withKubeconfigRights) {
      const answer = await ask(evidence, path, `/api/v1/nodes/${id}/proxy/healthz`);
      if (allowed) {
        expect(answer.status, `${path.name}: ${answer.body}`).toBe(200);
        expect(answer.body.trim()).toBe("ok");
      } else {
        expect(answer.status, `${path.name}: ${answer.body}`).toBe(403);
        expect(answer.body, "RBAC's refusal, not the kubelet's answer").toMatch(/"reason":"Forbidden"/);
      }
    }
    const denied = await ask(evidence, powerless, `/api/v1/nodes/${id}/proxy/healthz`);
    expect(denied.status).toBe(403);
  }
});

check("SP-19", async ({ evidence }) => {
  const prefix = svc("multi:http", "");
  for (const rest of ["/html", "/html-gzip"]) {
    for (const path of paths) {
      const answer = await ask(evidence, path, `${prefix}${rest}`, { headers: { "accept-encoding": "gzip" } });
      expect(answer.status).toBe(200);
      const html = answer.headers["content-encoding"] === "gzip" ? gunzipSync(answer.raw).toString() : answer.body;
      expect(html, `${rest} via ${path.name}`).toContain(`href="${prefix}/abs/link"`);
      expect(html).toContain(`src="${prefix}/abs/img.png"`);
      expect(html).toContain(`action="${prefix}/abs/submit"`);
      expect(html).toContain('href="rel/link"');
    }
  }
  for (const path of paths) {
    const redirect = await ask(evidence, path, `${prefix}/redirect`);
    expect(redirect.status).toBe(302);
    expect(String(redirect.headers.location)).toMatch(new RegExp(`${prefix.replaceAll("/", "\\/")}/target$`));
    const json = await ask(evidence, path, `${prefix}/json-links`);
    expect(JSON.parse(json.body)).toEqual({ href: "/abs/link", src: "/abs/img.png", action: "/abs/submit" });
  }
});

check("SP-20", async ({ evidence, verdict }) => {
  const url = `/api/v1/redirect/namespaces/${ns.name}/services/plain`;
  // With cluster-admin rights (the kubeconfig, through kubectl proxy) the removed verb is simply not
  // found. A namespaced token is refused first: authorization sees a cluster-scoped resource named
  // "redirect" before routing does, so 403 is the same answer for it. Neither may redirect.
  // Authorization reads the path as resource "redirect", name "namespaces", subresource NAMESPACE.
  // Credentials that may not read that (anything short of GET on every core resource: RBAC cannot
  // grant it alone) are refused before routing, and the removal cannot be seen with them.
  if (!(await userMay(ns.config, evidence, { verb: "get", resource: "redirect", name: "namespaces", subresource: ns.name }))) {
    verdict.notApplicable("the run's credentials may not GET the resource \"redirect\" (RBAC refuses before routing): the removal is observable only with rights to read every core resource, as cluster-admin has");
    return;
  }
  const admin = await ask(evidence, paths[0]!, url);
  expect(admin.status).toBe(404);
  for (const path of paths.slice(1)) {
    const answer = await ask(evidence, path, url);
    expect([403, 404]).toContain(answer.status);
  }
});

check("SP-21", async ({ run, evidence, verdict }) => {
  if (run.target.kind === "in-cluster") {
    verdict.notApplicable("the harness runs inside the cluster (in-cluster): a NodePort reached from outside the cluster cannot be asked from a Pod; run it from a host to check this path");
    return;
  }
  const api = ns.config.makeApiClient(CoreV1Api);
  // On kind, kind-config.yaml publishes a node port on the host; elsewhere, a node's own address.
  const mapping = run.nodePortMappings.find((m) => m.containerPort >= 30000 && m.containerPort <= 32767);
  const created = await api.createNamespacedService({ namespace: ns.name, body: service(NODE_PORT_SERVICE, BACKEND, [{ port: 80, targetPort: 8081, ...(mapping ? { nodePort: mapping.containerPort } : {}) }], { spec: { type: "NodePort" } }) });
  const nodePort = created.spec!.ports![0]!.nodePort!;
  const nodes = await api.listNode();
  const address = mapping
    ? `${mapping.hostAddress}:${mapping.hostPort}`
    : `${nodes.items[0]!.status!.addresses!.find((a) => a.type === "InternalIP")!.address}:${nodePort}`;
  await expect.poll(async () => (await http(evidence, `http://${address}/nodeport`).catch((e: Error) => ({ status: 0, body: e.message }))).status, { timeout: 30_000 }).toBe(200);
  const answer = await http(evidence, `http://${address}/nodeport`);
  expect(JSON.parse(answer.body)).toMatchObject({ fixture: "kac-fixture", port: 8081, path: "/nodeport" });
});

/** How long a load-balancer controller that is present may take to give a Service its external address. */
const LB_ADDRESS_TIMEOUT_MS = 90_000;
/** With no sign of a controller at all, how long an unknown one gets before the check says there is none. */
const LB_UNKNOWN_CONTROLLER_MS = 20_000;
/** How long the external address may take to answer once assigned (MetalLB's speaker starts announcing). */
const LB_REACH_TIMEOUT_MS = 60_000;
const LB_SERVICE = "balanced";

check("SP-22", async ({ run, evidence, verdict }) => {
  test.setTimeout(LB_ADDRESS_TIMEOUT_MS + LB_REACH_TIMEOUT_MS + 60_000);
  // MetalLB's objects are applied as the harness's kind start settles; before, none would be found.
  await clusterSettled();
  const api = ns.config.makeApiClient(CoreV1Api);
  await api.createNamespacedService({ namespace: ns.name, body: service(LB_SERVICE, BACKEND, [{ port: 80, targetPort: 8080 }], { spec: { type: "LoadBalancer" } }) });
  const began = Date.now();
  const network = await kindNetwork(run);
  let controllers = await loadBalancerControllers(run, network);
  let checkedAt = Date.now();
  let ingress: { ip?: string; hostname?: string } | undefined;
  // A controller fills in status.loadBalancer.ingress; on a cluster just started it may still be starting.
  for (;;) {
    ingress = (await api.readNamespacedService({ name: LB_SERVICE, namespace: ns.name })).status?.loadBalancer?.ingress?.[0];
    if (ingress) break;
    if (Date.now() - checkedAt > 10_000) [controllers, checkedAt] = [await loadBalancerControllers(run, network), Date.now()];
    if (Date.now() - began >= (controllers.length ? LB_ADDRESS_TIMEOUT_MS : LB_UNKNOWN_CONTROLLER_MS)) break;
    await sleep(1_000);
  }
  const waited = Date.now() - began;
  evidence.add({ request: "load-balancer controller: MetalLB's API and Pods, LoadBalancer Services with an address, the nodes' cloud provider", status: controllers.length ? "present" : "none found", excerpt: controllers.join("; ") || "none", durationMs: 0 });
  evidence.add({ request: `GET Service ${ns.name}/${LB_SERVICE} (type LoadBalancer), status.loadBalancer`, status: ingress ? "assigned" : "none", excerpt: JSON.stringify(ingress ?? {}), durationMs: waited });
  if (!ingress && !controllers.length) {
    verdict.notApplicable(`no load-balancer controller (no MetalLB, no LoadBalancer Service with an address, no cloud provider on the nodes): status.loadBalancer.ingress stayed empty for ${Math.round(waited / 1000)} s`);
    return;
  }
  if (!ingress) {
    evidence.add({ request: `why no address: MetalLB's Pods in ${METALLB_NAMESPACE}, the Service's events`, status: "diagnosis", excerpt: await noAddressDiagnosis(api, ns.name), durationMs: 0 });
    expect(ingress, `a load-balancer controller is present (${controllers.join("; ")}) but ${ns.name}/${LB_SERVICE} got no external address within ${Math.round(waited / 1000)} s`).toBeDefined();
    return;
  }
  const url = `http://${ingress.ip ?? ingress.hostname}/sp22`;
  // Not from the host: from a container on the cluster's Docker network that is not a node, as any
  // other machine on that network would. On other clusters, from here.
  const answer = network ? await fromDockerNetwork(evidence, network, run.probeImage, url) : await fromHost(evidence, url);
  expect(answer.status, `${url} did not answer within ${LB_REACH_TIMEOUT_MS / 1000} s of its assignment: ${answer.body}`).toBe(200);
  expect(JSON.parse(answer.body)).toMatchObject({ fixture: "kac-fixture", port: 8080, path: "/sp22" });
});

/** The Docker network of a kind cluster this harness started (kept or not), and the run label on its nodes. */
interface KindNetwork {
  name: string;
  runLabel: string;
}

/**
 * Finds the harness's kind cluster behind the target: the control-plane container that publishes the
 * API server's port on loopback. Undefined for any other cluster, or without a Docker engine.
 */
async function kindNetwork(run: RunContext): Promise<KindNetwork | undefined> {
  try {
    const server = new URL(run.target.server);
    if (!["127.0.0.1", "localhost", "[::1]"].includes(server.hostname)) return undefined;
    const docker = (await getContainerRuntimeClient()).container.dockerode;
    const nodes = await docker.listContainers({ filters: { label: [RUN_LABEL, "io.kac.role=control-plane"] } });
    const node = nodes.find((n) => n.Ports.some((p) => String(p.PublicPort) === server.port));
    const runLabel = node?.Labels[RUN_LABEL];
    if (!node || !runLabel) return undefined;
    const names = Object.keys(node.NetworkSettings.Networks);
    return { name: names.includes(runLabel) ? runLabel : names[0]!, runLabel };
  } catch {
    return undefined;
  }
}

/** What shows that the cluster has a load-balancer controller; empty when nothing does. Rights the run lacks count as nothing seen. */
async function loadBalancerControllers(run: RunContext, network: KindNetwork | undefined): Promise<string[]> {
  const api = ns.config.makeApiClient(CoreV1Api);
  const found: string[] = [];
  // The harness installs MetalLB on the kind clusters it starts; a cluster checked as an existing one
  // (a kept kind cluster among them) must show a controller of its own.
  if (run.target.kind === "kind") found.push(`the harness's kind cluster${network ? ` ${network.runLabel}` : ""}, where it installs MetalLB ${METALLB_VERSION}`);
  const ignore = () => undefined;
  const [crd, pods, services, nodes] = await Promise.all([
    ns.config.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: "ipaddresspools.metallb.io" }).catch(ignore),
    api.listPodForAllNamespaces({ labelSelector: "app=metallb" }).catch(ignore),
    api.listServiceForAllNamespaces().catch(ignore),
    api.listNode().catch(ignore),
  ]);
  if (crd) found.push("MetalLB's CRD ipaddresspools.metallb.io");
  if (pods?.items.length) found.push(`MetalLB Pods: ${pods.items.map((p) => `${p.metadata!.namespace}/${p.metadata!.name} ${p.status?.phase}`).join(", ")}`);
  const served = services?.items.filter((s) => s.spec?.type === "LoadBalancer" && s.status?.loadBalancer?.ingress?.length && s.metadata?.namespace !== ns.name) ?? [];
  if (served.length) found.push(`LoadBalancer Services with an address: ${served.slice(0, 3).map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`).join(", ")}`);
  const clouds = new Set(nodes?.items.map((n) => /^([a-z0-9-]+):\/\//.exec(n.spec?.providerID ?? "")?.[1]).filter((c): c is string => !!c && CLOUD_PROVIDERS.has(c)));
  if (clouds.size) found.push(`nodes of a cloud provider with load balancers: ${[...clouds].join(", ")} (spec.providerID)`);
  return found;
}

/** spec.providerID schemes of clouds (and distributions) that ship a controller for LoadBalancer Services. */
const CLOUD_PROVIDERS = new Set(["aws", "gce", "azure", "digitalocean", "linode", "oci", "ibm", "hcloud", "exoscale", "scaleway", "alicloud", "huaweicloud", "k3s"]);

/** MetalLB's workloads and Pods with their state, and what the controller said on the Service's events. */
async function noAddressDiagnosis(api: CoreV1Api, namespace: string): Promise<string> {
  const apps = ns.config.makeApiClient(AppsV1Api);
  const workloads = await Promise.all([apps.listNamespacedDeployment({ namespace: METALLB_NAMESPACE }), apps.listNamespacedDaemonSet({ namespace: METALLB_NAMESPACE })]).then(([deployments, daemonSets]) => [
    ...deployments.items.map((d) => `Deployment ${d.metadata!.name} ${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0} ready`),
    ...daemonSets.items.map((d) => `DaemonSet ${d.metadata!.name} ${d.status?.numberReady ?? 0}/${d.status?.desiredNumberScheduled ?? 0} ready`),
  ].join(", ") || "none", (error: Error) => `not readable: ${error.message.split("\n")[0]}`);
  const pods = await api.listNamespacedPod({ namespace: METALLB_NAMESPACE }).then((list) => list.items.map((p) => {
    const statuses = p.status?.containerStatuses ?? [];
    const waiting = statuses.map((c) => c.state?.waiting?.reason).filter(Boolean).join(",");
    return `${p.metadata!.name} on ${p.spec?.nodeName ?? "(unscheduled)"}: ${p.status?.phase}, ready ${statuses.filter((c) => c.ready).length}/${statuses.length}${waiting ? `, ${waiting}` : ""}`;
  }).join("; ") || "none", (error: Error) => `not readable: ${error.message.split("\n")[0]}`);
  const events = await api.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${LB_SERVICE}` }).then((list) => list.items.map((e) => `${e.reason}: ${e.message}`).join("; ") || "none", () => "not readable");
  return `workloads: ${workloads} | pods: ${pods} | events: ${events}`;
}

/**
 * Asks the external address from a short-lived container of the probe image on the cluster's Docker
 * network (curl, until it answers or LB_REACH_TIMEOUT_MS passes), labelled with the cluster's run so
 * the cluster's removal takes it along should this process die first.
 */
async function fromDockerNetwork(evidence: EvidenceLog, network: KindNetwork, image: string, url: string): Promise<{ status: number; body: string }> {
  // Testcontainers' reaper, as the CLI starts it: its offline build where upstream's image is absent.
  await chooseReaperImage(await getContainerRuntimeClient());
  const container = await new GenericContainer(image)
    .withNetworkMode(network.name)
    .withLabels({ [RUN_LABEL]: network.runLabel })
    .withCommand(["sleep", String(Math.ceil(LB_REACH_TIMEOUT_MS / 1000) + 60)])
    .withAutoRemove(true)
    .start();
  const shown = `GET ${url} with curl in container ${container.getName().replace(/^\//, "")} (${image}) on Docker network ${network.name}, not a node`;
  const began = Date.now();
  try {
    for (let attempt = 1; ; attempt++) {
      const asked = Date.now();
      const result = await container.exec(["curl", "-sS", "--max-time", "5", "--write-out", "\n%{http_code}", url]);
      const lines = result.stdout.split("\n");
      const status = result.exitCode === 0 ? Number(lines.pop()) : 0;
      const body = result.exitCode === 0 ? lines.join("\n") : result.stderr.trim();
      const done = status === 200 || Date.now() - began > LB_REACH_TIMEOUT_MS;
      if (done || attempt === 1) {
        evidence.add({ request: `${shown} (attempt ${attempt}, ${((asked - began) / 1000).toFixed(1)} s after the first)`, status: status || `curl exit ${result.exitCode}`, excerpt: body, durationMs: Date.now() - asked });
      }
      if (done) return { status, body };
      await sleep(1_000);
    }
  } finally {
    await container.stop({ timeout: 0 });
  }
}

/** The external address asked from this machine (clusters the harness did not start), until it answers. */
async function fromHost(evidence: EvidenceLog, url: string): Promise<HttpAnswer> {
  const began = Date.now();
  for (;;) {
    const answer = await http(evidence, url).catch((e: Error) => ({ status: 0, body: e.message }) as HttpAnswer);
    if (answer.status === 200 || Date.now() - began > LB_REACH_TIMEOUT_MS) return answer;
    await sleep(2_000);
  }
}

check("SP-23", async ({ run, kubectl }) => {
  const api = ns.config.makeApiClient(CoreV1Api);
  const clusterIp = (await api.readNamespacedService({ name: "plain", namespace: ns.name })).spec!.clusterIP!;
  // A shell in a Pod: the Service by DNS name and by ClusterIP.
  await startProbePod(ns.config, ns.name, "shell", run.probeImage);
  for (const address of [`plain.${ns.name}.svc`, clusterIp]) {
    const answer = await inPod(kubectl, ns.name, "shell", `curl -sS http://${address}/from-pod`);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout)).toMatchObject({ fixture: "kac-fixture", port: 8080, path: "/from-pod" });
  }
  // A shell on a node: a Pod in the node's network namespace, as `kubectl debug node/NAME` gives one.
  const worker = (await api.listNode()).items.find((n) => !n.spec?.taints?.some((t) => t.effect === "NoSchedule"))!.metadata!.name!;
  await startProbePod(ns.config, ns.name, "node-shell", run.probeImage, (pod) => Object.assign(pod.spec!, { hostNetwork: true, nodeName: worker }));
  const fromNode = await inPod(kubectl, ns.name, "node-shell", `hostname; curl -sS http://${clusterIp}/from-node`);
  expect(fromNode.code, fromNode.stderr).toBe(0);
  const [hostname, body] = fromNode.stdout.split("\n");
  expect(hostname).toBe(worker);
  expect(JSON.parse(body!)).toMatchObject({ fixture: "kac-fixture", port: 8080, path: "/from-node" });
});

check("SP-24", async ({ run, evidence }) => {
  // Authorized before proxied: a token without services/proxy is refused by the API server itself (a
  // Status, not the backend's echo); granted that verb on one Service, that Service answers and no other.
  const denied = await ask(evidence, powerless, svc("plain", "/sp24"));
  expect(denied.status).toBe(403);
  expect(JSON.parse(denied.body)).toMatchObject({ kind: "Status", reason: "Forbidden" });
  expect(denied.body).not.toContain("kac-fixture");
  const oneService = { ...(await directPath(run, await serviceAccountWithToken(ns.config, ns.name, "kac-one-service",
    [{ apiGroups: [""], resources: ["services/proxy"], resourceNames: ["plain"], verbs: ["get"] }]))), name: "direct, services/proxy on plain" };
  const granted = await ask(evidence, oneService, svc("plain", "/sp24"));
  expect(granted.status).toBe(200);
  expect(JSON.parse(granted.body)).toMatchObject({ fixture: "kac-fixture", path: "/sp24" });
  const other = await ask(evidence, oneService, svc("secure", "/sp24"));
  expect(other.status, "the grant names one Service").toBe(403);
});

check("SP-25", async ({ run, evidence, kubectl }) => {
  const rounds = 20;
  // Through the API server proxy: requests spread over the Ready replicas, none to the unready one.
  const viaApi = new Set<string>();
  for (let i = 0; i < rounds; i++) viaApi.add(JSON.parse((await ask(evidence, paths[1]!, svc(LB, `/sp25-${i}`))).body).pod);
  expect([...viaApi].sort(), "replicas answering through the API server proxy").toEqual(LB_READY);
  // Through kube-proxy, from a Pod: the ClusterIP, likewise.
  await shellPod(run);
  const clusterIp = (await ns.config.makeApiClient(CoreV1Api).readNamespacedService({ name: LB, namespace: ns.name })).spec!.clusterIP!;
  const fromPod = await inPod(kubectl, ns.name, "client", `for i in $(seq ${rounds}); do curl -sS --max-time 5 http://${clusterIp}/sp25; done`);
  expect(fromPod.code, fromPod.stderr).toBe(0);
  // One JSON echo a line (the fixture ends each with a newline).
  const viaClusterIp = new Set(fromPod.stdout.split("\n").filter((line) => line.trim()).map((line) => (JSON.parse(line) as { pod: string }).pod));
  expect([...viaClusterIp].sort(), "replicas answering through the ClusterIP").toEqual(LB_READY);
  evidence.add({ request: `${rounds} requests each way to Service ${LB}`, status: "spread", excerpt: `API server proxy: ${[...viaApi].join(", ")}; ClusterIP: ${[...viaClusterIp].join(", ")}; never ${LB_UNREADY}`, durationMs: 0 });
});

check("SP-26", async ({ evidence, kubectl }) => {
  // The page's way to one replica of several: a unique label on it and a Service selecting that label.
  const labelled = await kubectl.kubectl("label", "pod", LB_READY[0]!, "-n", ns.name, "kac-unique=sp26");
  expect(labelled.code, labelled.stderr).toBe(0);
  const exposed = await kubectl.kubectl("expose", "pod", LB_READY[0]!, "-n", ns.name, "--name=sp26", "--port=80", "--target-port=8080", "--selector=kac-unique=sp26");
  expect(exposed.code, exposed.stderr).toBe(0);
  // The new Service's endpoints appear shortly after it; then every request reaches that Pod.
  await expect.poll(async () => (await ask(new EvidenceLog(), paths[0]!, svc("sp26", "/"))).status, { timeout: 30_000 }).toBe(200);
  for (const path of paths) {
    for (let i = 0; i < 5; i++) {
      const answer = await ask(evidence, path, svc("sp26", `/sp26-${i}`));
      expect(answer.status, path.name).toBe(200);
      expect(JSON.parse(answer.body).pod, path.name).toBe(LB_READY[0]);
    }
  }
});

check("SP-27", async ({ run, evidence, kubectl }) => {
  // UDP reaches the Pod through kube-proxy (the Service's ClusterIP, from a Pod) ...
  await shellPod(run);
  const clusterIp = (await ns.config.makeApiClient(CoreV1Api).readNamespacedService({ name: "udp", namespace: ns.name })).spec!.clusterIP!;
  const datagram = await inPod(kubectl, ns.name, "client", `bash -c "exec 3<>/dev/udp/${clusterIp}/53; printf sp27 >&3; timeout 5 dd bs=512 count=1 status=none <&3"`);
  expect(datagram.stdout, datagram.stderr).toContain(`kac-fixture udp ${BACKEND} ${BACKEND_PORTS.udp}: sp27`);
  // ... while the API server proxy, HTTP only, answers that Service's port with an error, never data.
  for (const path of paths) {
    const answer = await ask(evidence, path, svc("udp:dns", "/"));
    expect(answer.status, path.name).toBeGreaterThanOrEqual(400);
    expect(answer.body, path.name).not.toContain("kac-fixture");
  }
});

check("SP-28", async ({ evidence }) => {
  // The page's example, `https:NAME:` with a sub-path and a query, and a query holding colons.
  for (const [rest, path, query] of [["/_cluster/health?pretty=true", "/_cluster/health", "pretty=true"], ["/_search?q=user:kimchy", "/_search", "q=user:kimchy"]] as const) {
    const echoes = await expectBackend(evidence, svc("https:secure:", rest), "https", 8443);
    for (const echo of echoes) expect({ path: echo.path, rawQuery: echo.rawQuery }).toEqual({ path, rawQuery: query });
  }
});

let shell: Promise<void> | undefined;
/** A probe Pod "client" for checks that ask from inside the cluster, started once per worker. */
function shellPod(run: RunContext): Promise<void> {
  shell ??= startProbePod(ns.config, ns.name, "client", run.probeImage);
  return shell;
}
