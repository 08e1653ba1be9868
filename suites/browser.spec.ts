import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type LaunchOptions, type Page } from "@playwright/test";
import { ask, directPath, type ApiPath } from "./support/api-paths.ts";
import { AuthenticatingFront } from "./support/authenticating-front.ts";
import { BACKEND_PORTS, deployBackend, service } from "./support/backend.ts";
import { check, expect, test } from "./support/check.ts";
import { clusterAccess } from "./support/cluster-access.ts";
import { EvidenceLog } from "./support/evidence.ts";
import { KubectlProxy, startProxy } from "./support/kubectl-proxy.ts";
import { ProxyUnderTest } from "../harness/proxy/proxy-under-test.ts";
import { KUBECTL_PROXY, PROXY_UNDER_TEST } from "../harness/ground/access-paths.ts";
import { useSuiteNamespace } from "./support/namespace.ts";
import { screenshot } from "./support/screenshot.ts";
import { serviceAccountWithToken } from "./support/service-account.ts";

// access-cluster-services#using-web-browsers-to-access-services-running-on-the-cluster: a web app
// opened through the API server's service proxy in Chromium. The proxy puts the app under a path
// prefix; the page shows which of its parts survive that.

// Not serial: a failing check must not hide the results of the others. After a failure Playwright
// starts a fresh worker, which sets the suite up again.
const ns = useSuiteNamespace(test, "browser");
const execFileP = promisify(execFile);
let proxy: KubectlProxy;
let underTest: ProxyUnderTest | undefined;
let direct: ApiPath;
const app = () => `/api/v1/namespaces/${ns.name}/services/web/proxy/`;

test.beforeAll(async ({ run }) => {
  await deployBackend(ns.config, ns.name, run.fixtureImage, "web-backend", [service("web", "web-backend", [{ port: 80, targetPort: BACKEND_PORTS.web }])]);
  proxy = await startProxy(run, new EvidenceLog(), ["--port=0"]);
  underTest = await ProxyUnderTest.start(run);
  const token = await serviceAccountWithToken(ns.config, ns.name, "kac-browser", [{ apiGroups: [""], resources: ["services/proxy"], verbs: ["*"] }]);
  direct = await directPath(run, token);
});

test.afterAll(async () => {
  await proxy?.stop();
  await underTest?.stop();
});

function label(base: string): string {
  if (base === proxy.url) return KUBECTL_PROXY;
  return base === underTest?.path.base ? PROXY_UNDER_TEST : "authenticating front";
}

/** The proxies a browser check opens the app through: kubectl proxy, and the proxy under test if any. */
function proxyBases(): string[] {
  return [proxy.url, ...(underTest ? [underTest.path.base] : [])];
}

/** Opens the app and waits until its own probes have settled (no cell still "pending"). */
async function openApp(page: Page, base: string, evidence: EvidenceLog): Promise<Record<string, string>> {
  const began = Date.now();
  const request = `Chromium GET ${base}${app()}`;
  const response = await page.goto(`${base}${app()}`);
  const status = response?.status() ?? 0;
  if (!(await page.locator("#title").count())) {
    // Not the app: what came instead (an error page, a Status) is the evidence and the failure.
    const body = await page.locator("body").innerText().catch(() => "");
    evidence.add({ request, status, excerpt: body, durationMs: Date.now() - began, path: label(base) });
    throw new Error(`${label(base)} answered ${status} without the app's page: ${body.slice(0, 200)}`);
  }
  const unsettled = await expect(page.locator("#results .pending")).toHaveCount(0, { timeout: 15_000 }).then(() => undefined, (error: Error) => error);
  const results = Object.fromEntries(await page.locator("#results td[id]").evaluateAll((cells) => cells.map((c) => [c.id, c.textContent ?? ""])));
  evidence.add({ request, status, excerpt: JSON.stringify(results), durationMs: Date.now() - began, path: label(base) });
  if (unsettled) throw unsettled;
  return results;
}

check("BR-01", async ({ page, evidence }, testInfo) => {
  for (const base of proxyBases()) {
    await openApp(page, base, evidence);
    await expect(page.locator("#title")).toContainText("kac web app");
    expect(new URL(page.url()).pathname).toBe(app());
    await screenshot(page, testInfo, `app through ${label(base)}`);
  }
});

check("BR-02", async ({ page, evidence }, testInfo) => {
  for (const base of proxyBases()) {
    const results = await openApp(page, base, evidence);
    expect(results["r-image"]).toBe("ok");
    // The HTML said href="/login"; the API server rewrote it into the prefix.
    expect(await page.locator("#abs-link").getAttribute("href")).toBe(`${app()}login`);
    expect(await page.locator("#abs-form").getAttribute("action")).toBe(`${app()}submit`);
    await page.locator("#abs-link").click();
    await expect(page.locator("#login-page")).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`${app()}login`);
    await screenshot(page, testInfo, `absolute link followed (${label(base)})`);
  }
});

check("BR-03", async ({ page, evidence }, testInfo) => {
  for (const base of proxyBases()) {
    const results = await openApp(page, base, evidence);
    expect(results["r-fetch-relative"]).toBe("ok");
    await screenshot(page, testInfo, `relative fetch (${label(base)})`);
    await page.locator("#rel-link").click();
    await expect(page.locator("#login-page")).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`${app()}login`);
  }
});

check("BR-04", async ({ page, evidence }, testInfo) => {
  for (const base of proxyBases()) {
    const results = await openApp(page, base, evidence);
    await screenshot(page, testInfo, `prefix-unaware JavaScript (${label(base)})`);
    // The documentation warns that such code breaks behind the proxy. If it works, something served the
    // app at the root and hid the problem: that is what this check flags.
    expect(results["r-fetch-absolute"], "fetch('/data') must miss the prefix").toBe("broken");
    expect(results["r-fetch-origin"], "fetch(location.origin + '/data') must miss the prefix").toBe("broken");
    evidence.add({ request: "fetch('/data'), fetch(location.origin + '/data')", status: "broken", excerpt: "limitation confirmed: prefix-unaware JavaScript breaks behind the proxy, as documented", durationMs: 0 });
  }
});

check("BR-05", async ({ page, evidence }, testInfo) => {
  for (const base of proxyBases()) {
    await openApp(page, base, evidence);
    await page.locator("#redirect-link").click();
    await expect(page.locator("#login-page")).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`${app()}login`);
    await screenshot(page, testInfo, `after the backend's redirect to /login (${label(base)})`);
  }
});

check("BR-06", async ({ page, run, evidence, verdict }, testInfo) => {
  const access = await clusterAccess(run);
  // The address bar cannot carry a bearer token; the browser does not trust the cluster CA either.
  const context = await page.context().browser()!.newContext({ ignoreHTTPSErrors: true });
  try {
    const bare = await context.newPage();
    const response = await bare.goto(`${access.server.origin}${app()}`);
    evidence.add({ request: `Chromium GET ${access.server.origin}${app()}`, status: response?.status() ?? 0, excerpt: (await bare.content()).slice(0, 300), durationMs: 0 });
    expect([401, 403]).toContain(response?.status());
    await screenshot(bare, testInfo, "API server URL without credentials");
  } finally {
    await context.close();
  }
  // Basic credentials are not an authentication method any more: the request counts as anonymous.
  const basic = await ask(evidence, { ...direct, headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` } }, app());
  expect([401, 403]).toContain(basic.status);
  expect(basic.body).not.toContain("kac web app");
  verdict.docDrift(`the page suggests basic authentication for browsers; Kubernetes removed it in 1.19 (the API server answered ${basic.status} to Basic credentials)`);
});

check("BR-07", async ({ page, evidence }, testInfo) => {
  const front = await AuthenticatingFront.start(direct);
  try {
    const results = await openApp(page, front.url, evidence);
    expect(results["r-image"]).toBe("ok");
    expect(results["r-fetch-relative"]).toBe("ok");
    await screenshot(page, testInfo, "app through an authenticating front");
  } finally {
    await front.stop();
  }
});

check("BR-08", async ({ page, run, evidence }, testInfo) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-www-"));
  await writeFile(join(dir, "index.html"), `<!doctype html><title>kac --www</title><h1>kac --www</h1><p id="api">pending</p>
<script>fetch("/api/").then((r) => r.json()).then((j) => { document.getElementById("api").textContent = j.kind + " " + j.versions.join(","); },
(e) => { document.getElementById("api").textContent = "broken: " + e; });</script>`);
  const www = await startProxy(run, evidence, ["--port=0", `--www=${dir}`]);
  try {
    await page.goto(`${www.url}/static/`);
    await expect(page.locator("#api")).toHaveText("APIVersions v1");
    await screenshot(page, testInfo, "static page calling the API from the same origin");
  } finally {
    await www.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

check("BR-09", async ({ page, evidence }, testInfo) => {
  for (const base of proxyBases()) {
    const results = await openApp(page, base, evidence);
    expect(results["r-websocket"]).toBe("ok");
    await screenshot(page, testInfo, `WebSocket echo through the service proxy (${label(base)})`);
  }
});

check("BR-10", async ({ run, evidence }, testInfo) => {
  // access-cluster#directly-accessing-the-rest-api: a browser is protected from a MITM by importing the
  // root certificate. Chromium on Linux takes user-added roots from the NSS store in ~/.pki/nssdb: a
  // private HOME without the cluster CA refuses the API server, the same HOME with it loads the URL,
  // and no ignore-errors switch is involved either time.
  const certutil = await new Promise<boolean>((resolve) => execFile("certutil", ["-H"], (error) => resolve(!error || (error as { code?: unknown }).code !== "ENOENT")));
  test.skip(!certutil, "no certutil on this machine (Debian: libnss3-tools): BR-10 adds the cluster CA to Chromium's NSS store with it");
  const access = await clusterAccess(run);
  expect(access.tls.ca, "the kubeconfig names the cluster CA").toBeDefined();
  const url = `${access.server.origin}/version`;
  const home = await mkdtemp(join(tmpdir(), "kac-br10-"));
  try {
    const refused = await openWithHome(home, url, testInfo.project.use.launchOptions ?? {});
    evidence.add({ request: `Chromium GET ${url} (no cluster CA in its store)`, status: refused.status, excerpt: refused.detail, durationMs: refused.ms });
    expect(refused.status, "without the CA").toBe("tls-error");
    const nssdb = join(home, ".pki", "nssdb");
    await mkdir(nssdb, { recursive: true });
    await writeFile(join(home, "cluster-ca.pem"), access.tls.ca!);
    await execFileP("certutil", ["-d", `sql:${nssdb}`, "-N", "--empty-password"]);
    await execFileP("certutil", ["-d", `sql:${nssdb}`, "-A", "-t", "C,,", "-n", "kac-cluster-ca", "-i", join(home, "cluster-ca.pem")]);
    const trusted = await openWithHome(home, url, testInfo.project.use.launchOptions ?? {});
    evidence.add({ request: `Chromium GET ${url} (cluster CA in ~/.pki/nssdb)`, status: trusted.status, excerpt: trusted.detail, durationMs: trusted.ms });
    // Loaded: the TLS handshake succeeded; /version is public on most clusters (401/403 where it is not).
    expect([200, 401, 403], "with the CA").toContain(trusted.status);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

/** Opens a URL in a Chromium of its own whose HOME (and so its NSS certificate store) is `home`. */
async function openWithHome(home: string, url: string, launchOptions: LaunchOptions): Promise<{ status: number | "tls-error"; detail: string; ms: number }> {
  const began = Date.now();
  const browser = await chromium.launch({ ...launchOptions, env: { ...process.env, HOME: home } });
  try {
    const page = await browser.newPage();
    const response = await page.goto(url).catch((error: Error) => error);
    if (response instanceof Error) return { status: /ERR_CERT_|SSL/.test(response.message) ? "tls-error" : 0, detail: response.message.split("\n")[0]!, ms: Date.now() - began };
    return { status: response?.status() ?? 0, detail: (await page.content()).slice(0, 200), ms: Date.now() - began };
  } finally {
    await browser.close();
  }
}
