import { stopProcess } from "../harness/process/stop-process.ts";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { CoreV1Api } from "@kubernetes/client-node";
import { isLoopback, listeningAddresses } from "../harness/net/listening-addresses.ts";
import { KUBECTL_PROXY } from "../harness/ground/access-paths.ts";
import { ask, directPath, type ApiPath } from "./support/api-paths.ts";
import { deployBackend, service } from "./support/backend.ts";
import { check, expect, test, type Verdict } from "./support/check.ts";
import { startCheckedProxies, stopAll, type CheckedProxy } from "./support/checked-proxies.ts";
import { EvidenceLog } from "./support/evidence.ts";
import { http, type HttpAnswer } from "./support/http.ts";
import { IMPOSTOR_DATA, startImpostor } from "./support/impostor-api.ts";
import { useSuiteNamespace } from "./support/namespace.ts";
import { inPod, startProbePod } from "./support/probe-pod.ts";
import { serviceAccountWithToken } from "./support/service-account.ts";
import { StreamReader } from "./support/stream-reader.ts";
import { UPGRADES, upgradeRequest } from "./support/upgrade-request.ts";

// access-cluster#using-kubectl-proxy, #many-proxies: what every API proxy must keep. Each check runs
// against `kubectl proxy` (the reference, which must pass) and, side by side, against the proxy under
// test, which is held to kubectl proxy's behaviour; every request is tagged with the proxy it asked,
// so the report's side-by-side table shows both answers. Real proxies have shipped each of these faults.

const ns = useSuiteNamespace(test, "proxy-contract");
const BACKEND = "backend";
/** A Pod that writes a numbered line every second: the logs to follow, the target of refused execs. */
const TICKER = "ticker";
/** How long a watch stays quiet in PX-05: past common idle timeouts (nginx's 60 s). */
const IDLE_WATCH_MS = 75_000;
/** How soon a watch event or a log line must come through (PX-05). */
const STREAM_DELAY_MS = 2_000;
/** Near the API server's 1.5 MiB request limit and under etcd's object limit (PX-06). */
const BODY_BYTES = 900 * 1024;
const IDLE_LABEL = "io.kac.px05-idle";

let proxies: CheckedProxy[];
/** Straight to the API server with a token of the suite's ServiceAccount: what the proxies are compared with. */
let direct: ApiPath;
/** Watches opened at setup that must still be open IDLE_WATCH_MS later (PX-05), one per proxy. */
let idleWatches: { proxy: CheckedProxy; reader: StreamReader }[];

test.beforeAll(async ({ run }) => {
  test.setTimeout(240_000);
  // The idle watches start first (they need only the namespace and the proxies), so that their 75 s,
  // the suite's longest wait, pass while the fixtures deploy and the other checks run.
  proxies = await startCheckedProxies(run, new EvidenceLog());
  idleWatches = proxies.map((proxy) => ({ proxy, reader: StreamReader.open(proxy, `/api/v1/namespaces/${ns.name}/configmaps?watch=1&labelSelector=${IDLE_LABEL}`) }));
  const [token] = await Promise.all([
    serviceAccountWithToken(ns.config, ns.name, "kac-contract", [
      { apiGroups: [""], resources: ["services/proxy", "pods", "pods/log", "configmaps"], verbs: ["*"] },
    ]),
    deployBackend(ns.config, ns.name, run.fixtureImage, BACKEND, [service("web", BACKEND, [{ name: "http", port: 80, targetPort: 8080 }])]),
    startProbePod(ns.config, ns.name, TICKER, run.probeImage, (pod) => {
      pod.spec!.containers[0]!.command = ["sh", "-c", 'i=0; while :; do i=$((i+1)); echo "kac-tick $i"; sleep 1; done'];
    }),
  ]);
  direct = await directPath(run, token);
});

test.afterAll(async () => {
  for (const { reader } of idleWatches ?? []) reader.close();
  await stopAll(proxies);
});

/**
 * Holds each proxy to `kubectl proxy` and kubectl proxy to the direct path: what the proxy under test
 * answers must equal kubectl proxy's (a difference fails, with both as evidence); where kubectl proxy
 * itself differs from the direct path, the check warns and says how.
 */
function compareWithReference<T>(verdict: Verdict, what: string, direct: T, answers: Map<string, T>): void {
  const reference = answers.get(KUBECTL_PROXY);
  if (JSON.stringify(reference) !== JSON.stringify(direct)) {
    verdict.warn(`kubectl proxy differs from the direct path for ${what}: direct ${JSON.stringify(direct)}, kubectl proxy ${JSON.stringify(reference)}`);
  }
  for (const [name, answer] of answers) {
    // Both answers in the message: it is the reason the report gives, and what the proxy table shows.
    if (name !== KUBECTL_PROXY) expect(answer as unknown, `${name} differs from kubectl proxy for ${what}: kubectl proxy ${JSON.stringify(reference)}, ${name} ${JSON.stringify(answer)}`).toEqual(reference);
  }
}

check("PX-01", async ({ evidence, kubectl }) => {
  const pods = `/api/v1/namespaces/${ns.name}/pods`;
  // Each refused request would leave a file in the Pod, were it to reach it.
  const touch = (tag: string) => `command=touch&command=/tmp/kac-px01-${tag}&container=probe&stdout=true&stderr=true`;
  for (const proxy of proxies) {
    const p = proxy.name;
    const post = await ask(evidence, proxy, `${pods}/${TICKER}/exec?${touch("post")}`, { method: "POST" });
    expect(post.status, `${p}: POST exec`).toBe(403);
    for (const [transport, headers] of Object.entries(UPGRADES)) {
      for (const [spelling, target] of [
        ["exec", `${pods}/${TICKER}/exec?${touch(`${transport}-plain`)}`],
        ["attach", `${pods}/${TICKER}/attach?container=probe&stdout=true`],
        ["ex%65c", `${pods}/${TICKER}/ex%65c?${touch(`${transport}-encoded`)}`],
        ["%2F separators", `/api/v1/namespaces%2F${ns.name}%2Fpods%2F${TICKER}%2Fexec?${touch(`${transport}-slashes`)}`],
      ] as const) {
        const answer = await upgradeRequest(evidence, `${proxy.base}${target}`, headers, p);
        expect(answer.status, `${p}: ${transport} upgrade to ${spelling}`).toBe(403);
      }
    }
  }
  // Nothing reached the Pod: asked through the run's own credentials, not through any proxy.
  const traces = await inPod(kubectl, ns.name, TICKER, "ls /tmp | grep kac-px01 || echo none");
  expect(traces.stdout.trim(), "files left in the Pod by execs that got through").toBe("none");
});

check("PX-02", async ({ evidence }) => {
  for (const proxy of proxies) {
    const p = proxy.name;
    for (const host of ["evil.example", "localhost.evil.example", "127.0.0.1.evil.example"]) {
      const answer = await ask(evidence, proxy, "/api/", { headers: { host: `${host}:${proxy.port}` } });
      expect(answer.status, `${p}: Host ${host}`).toBe(403);
    }
    // A watch over WebSocket, addressed to the rebinding host: the filter must hold for upgrades too.
    const upgrade = await upgradeRequest(evidence, `${proxy.base}/api/v1/namespaces/${ns.name}/configmaps?watch=1`, { ...UPGRADES.websocket, host: `evil.example:${proxy.port}` }, p);
    expect(upgrade.status, `${p}: upgrade with Host evil.example`).toBe(403);
    for (const host of ["localhost", "127.0.0.1"]) {
      const answer = await ask(evidence, proxy, "/api/", { headers: { host: `${host}:${proxy.port}` } });
      expect(answer.status, `${p}: Host ${host}`).toBe(200);
    }
  }
});

check("PX-03", async ({ evidence, page }) => {
  // A page of another origin on this machine, whose script tries to read the API through the proxy.
  const site = createServer((_, response) => response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>another origin</title>"));
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  try {
    await page.goto(`${origin}/`);
    for (const proxy of proxies) {
      const p = proxy.name;
      for (const method of ["GET", "OPTIONS"] as const) {
        const headers = { origin: "http://evil.example", ...(method === "OPTIONS" ? { "access-control-request-method": "GET" } : {}) };
        const answer = await ask(evidence, proxy, "/api/", { method, headers });
        expect(answer.headers["access-control-allow-origin"], `${p}: ${method} with Origin: http://evil.example`).toBeUndefined();
      }
      const began = Date.now();
      const read = await page.evaluate((url) => fetch(url).then((r) => r.text()).then((t) => `READ ${t.slice(0, 60)}`, (e: Error) => `BLOCKED ${e.message}`), `${proxy.base}/api/`);
      evidence.add({ request: `fetch(${proxy.base}/api/) from a page of ${origin} (Chromium)`, status: read.split(" ")[0]!, excerpt: read, durationMs: Date.now() - began, path: p });
      expect(read, `${p}: a page of another origin read the API`).toMatch(/^BLOCKED/);
    }
  } finally {
    site.close();
  }
});

check("PX-04", async ({ run, evidence, verdict }) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-px04-"));
  try {
    for (const kind of ["untrusted", "wrong-host"] as const) {
      const impostor = await startImpostor(run, await mkdtemp(join(dir, kind)), kind);
      let checked: CheckedProxy[] = [];
      try {
        checked = await startCheckedProxies(run, evidence, impostor.kubeconfig);
        for (const proxy of checked.filter((p) => p.startedByHarness)) {
          const answer = await ask(evidence, proxy, "/api/");
          expect(answer.body, `${proxy.name}: ${kind} certificate`).not.toContain(IMPOSTOR_DATA);
          expect(answer.status, `${proxy.name}: ${kind} certificate`).toBeGreaterThanOrEqual(500);
        }
      } finally {
        await stopAll(checked);
        impostor.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (run.proxyUnderTest?.url) verdict.notApplicable("the proxy under test was given by URL, so the harness cannot hand it a kubeconfig: only kubectl proxy was checked");
});

check("PX-06", async ({ evidence }) => {
  const configmaps = `/api/v1/namespaces/${ns.name}/configmaps`;
  const api = ns.config.makeApiClient(CoreV1Api);
  const blob = (seed: string) => Buffer.alloc(BODY_BYTES * 3 / 4, seed).toString("base64").slice(0, BODY_BYTES);
  const stored = async (name: string) => (await api.readNamespacedConfigMap({ name, namespace: ns.name })).data?.blob;
  // Three large objects, so that the list asked below is a large answer whatever the proxies did.
  for (const n of [1, 2, 3]) await api.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: `px06-large-${n}` }, data: { blob: blob(`large ${n}`) } } });
  for (const [i, proxy] of proxies.entries()) {
    const p = proxy.name;
    const name = `px06-${i}`;
    const steps: [string, "POST" | "PUT" | "PATCH", string, string, (value: string) => string][] = [
      ["POST", "POST", configmaps, "application/json", (v) => JSON.stringify({ metadata: { name }, data: { blob: v } })],
      ["PUT", "PUT", `${configmaps}/${name}`, "application/json", (v) => JSON.stringify({ metadata: { name }, data: { blob: v } })],
      ["json patch", "PATCH", `${configmaps}/${name}`, "application/json-patch+json", (v) => JSON.stringify([{ op: "replace", path: "/data/blob", value: v }])],
      ["merge patch", "PATCH", `${configmaps}/${name}`, "application/merge-patch+json", (v) => JSON.stringify({ data: { blob: v } })],
      ["strategic merge patch", "PATCH", `${configmaps}/${name}`, "application/strategic-merge-patch+json", (v) => JSON.stringify({ data: { blob: v } })],
      ["apply patch", "PATCH", `${configmaps}/${name}?fieldManager=kac&force=true`, "application/apply-patch+yaml", (v) => JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { blob: v } })],
    ];
    for (const [what, method, target, contentType, body] of steps) {
      const value = blob(`${p} ${what}`);
      const answer = await ask(evidence, proxy, target, { method, headers: { "content-type": contentType }, body: body(value) });
      expect(answer.status, `${p}: ${what} of ${BODY_BYTES} bytes`).toBeLessThan(300);
      expect(await stored(name) === value, `${p}: ${what}: the stored data equals what was sent`).toBe(true);
    }
    // A request body of unknown length, sent chunked.
    const chunked = await ask(evidence, proxy, configmaps, { method: "POST", headers: { "content-type": "application/json" },
      body: Readable.from([`{"metadata":{"name":"px06-chunked-${i}"},`, `"data":{"k":"chunked"}}`]) });
    expect(chunked.status, `${p}: a chunked request body`).toBe(201);
  }
  // A large answer (the list holds the 900 KiB objects), read at one exact resourceVersion on every
  // path so that it is the same list: byte for byte what the direct path gives.
  const { metadata } = await api.listNamespacedConfigMap({ namespace: ns.name, limit: 1 });
  const list = `${configmaps}?resourceVersion=${metadata!.resourceVersion}&resourceVersionMatch=Exact`;
  const reference = await ask(evidence, direct, list);
  expect(reference.raw.length, "the list answer's size").toBeGreaterThanOrEqual(2 * 1024 * 1024);
  for (const proxy of proxies) {
    const answer = await ask(evidence, proxy, list);
    expect(answer.status).toBe(200);
    expect(answer.raw.equals(reference.raw), `${proxy.name}: the ${reference.raw.length}-byte answer is byte-identical to the direct path's`).toBe(true);
  }
});

check("PX-07", async ({ run, evidence, kubectl }) => {
  const manifest = join(ns.dir, "px07.yaml");
  for (const [i, proxy] of proxies.entries()) {
    const p = proxy.name;
    // kubectl with no kubeconfig at all: everything it knows is the proxy's address.
    const via = ["--kubeconfig=/dev/null", `--server=${proxy.base}`, "-n", ns.name];
    const shown = (rest: string) => `kubectl --server ${proxy.base} -n ${ns.name} ${rest}`;
    const get = await kubectl.command(run.kubectl, [...via, "get", "pods", "-o", "name"], shown("get pods"));
    expect(get.code, `${p}: get (${get.stderr})`).toBe(0);
    expect(get.stdout, p).toContain(`pod/${TICKER}`);
    await writeFile(manifest, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: px07-${i}\ndata:\n  applied: "yes"\n`);
    const apply = await kubectl.command(run.kubectl, [...via, "apply", "-f", manifest], shown("apply -f px07.yaml"));
    expect(apply.code, `${p}: apply (${apply.stderr})`).toBe(0);
    const follow = await untilLine(evidence, run.kubectl, [...via, "logs", "-f", "--tail=1", TICKER], /kac-tick \d+\n.*kac-tick \d+/s, shown(`logs -f ${TICKER}`), p);
    expect(follow, `${p}: logs -f streamed two lines`).toBeDefined();
    const forwarded = await untilLine(evidence, run.kubectl, [...via, "port-forward", `pod/${BACKEND}`, ":8080"], /Forwarding from 127\.0\.0\.1:(\d+)/, shown(`port-forward pod/${BACKEND} :8080`), p, async (match) => {
      const answer = await http(evidence, `http://127.0.0.1:${match[1]}/through-port-forward`, { path: p });
      expect(answer.status, `${p}: the forwarded port answers`).toBe(200);
      expect(answer.body, p).toContain('"fixture":"kac-fixture"');
    });
    expect(forwarded, `${p}: port-forward started`).toBeDefined();
    const exec = await kubectl.command(run.kubectl, [...via, "exec", TICKER, "--", "true"], shown(`exec ${TICKER} -- true`));
    expect(exec.code, `${p}: exec is refused by the default filter`).not.toBe(0);
  }
});

check("PX-08", async ({ evidence, verdict }) => {
  const base = `/api/v1/namespaces/${ns.name}/services/web:80/proxy/raw`;
  const cases = ["a%2Fb", "a//b", "a%20b", "a;x=y/b", "x/%2E%2E/escape", "caf%C3%A9", "%E2%9C%93?q=user:kimchy"];
  for (const sub of cases) {
    const seen = async (path: ApiPath): Promise<{ status: number; requestURI?: string }> => {
      const answer = await ask(evidence, path, `${base}/${sub}`);
      return { status: answer.status, ...(answer.status === 200 ? { requestURI: echoed(answer).requestURI } : {}) };
    };
    const reference = await seen(direct);
    const answers = new Map<string, { status: number; requestURI?: string }>();
    for (const proxy of proxies) answers.set(proxy.name, await seen(proxy));
    compareWithReference(verdict, `/proxy/raw/${sub}`, reference, answers);
  }
});

check("PX-09", async ({ evidence, verdict }) => {
  for (const page of ["html-gzip", "html-br", "html-gzip-large"]) {
    const target = `/api/v1/namespaces/${ns.name}/services/web:80/proxy/${page}`;
    /** What a client gets: the page decoded and described, or that nothing usable came (5xx, a reset). */
    const seen = async (path: ApiPath): Promise<{ delivered: false } | ({ delivered: true } & ReturnType<typeof decoded>)> => {
      const answer = await ask(evidence, path, target, { headers: { "accept-encoding": "gzip, br" } }).catch(() => undefined);
      if (!answer || answer.status >= 500) return { delivered: false };
      expect(answer.status, `${path.name}: ${page}`).toBe(200);
      return { delivered: true, ...decoded(answer, `${path.name}: ${page}`) };
    };
    const reference = await seen(direct);
    if (page === "html-br" && !reference.delivered) {
      // Upstream, not the proxies: the API server's HTML rewriting cannot read br and resets the stream.
      verdict.docDrift("the API server's service proxy does not deliver br-encoded HTML (the direct path's stream is reset); every proxy is held to delivering nothing usable either");
    } else {
      expect(reference.delivered && reference.rewritten, `the API server delivers ${page} rewritten`).toBe(true);
    }
    const answers = new Map<string, Awaited<ReturnType<typeof seen>>>();
    for (const proxy of proxies) answers.set(proxy.name, await seen(proxy));
    compareWithReference(verdict, page, reference, answers);
  }
});

check("PX-10", async ({ run, evidence, verdict }) => {
  for (const proxy of proxies) {
    if (!proxy.startedByHarness) continue;
    // Read from the kernel's socket table: no request is sent.
    const began = Date.now();
    const addresses = await listeningAddresses(proxy.port);
    evidence.add({ request: `listening sockets on port ${proxy.port} (/proc/net/tcp, tcp6)`, status: addresses.length ? "listening" : "none", excerpt: addresses.join(", ") || "(none)", durationMs: Date.now() - began, path: proxy.name });
    expect(addresses.length, `${proxy.name}: listens on port ${proxy.port}`).toBeGreaterThan(0);
    expect(addresses.filter((a) => !isLoopback(a)), `${proxy.name}: listens beyond loopback`).toEqual([]);
  }
  if (run.proxyUnderTest?.url) verdict.notApplicable("the proxy under test was given by URL: how it was started, and on which addresses, is not the harness's to see; only kubectl proxy was checked");
});

check("PX-05", async ({ evidence }) => {
  test.setTimeout(IDLE_WATCH_MS + 90_000);
  const configmaps = `/api/v1/namespaces/${ns.name}/configmaps`;
  const api = ns.config.makeApiClient(CoreV1Api);
  for (const [i, proxy] of proxies.entries()) {
    const p = proxy.name;
    // A watch: the event must come within STREAM_DELAY_MS of the change, on a response still open.
    const watch = StreamReader.open(proxy, `${configmaps}?watch=1&labelSelector=io.kac.px05=${i}`);
    try {
      await watch.waitForHeaders(5_000);
      await api.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: `px05-watch-${i}`, labels: { "io.kac.px05": String(i) } } } });
      const changed = Date.now();
      const arrived = await watch.waitFor((t) => t.includes(`px05-watch-${i}`), 10_000);
      evidence.add({ request: `GET ${configmaps}?watch=1 (${p}), then create a ConfigMap`, status: watch.status, excerpt: watch.text.slice(0, 200) || `(nothing; ${watch.endReason ?? "still open"})`, durationMs: arrived ? arrived - changed : 10_000, path: p, note: "time from the change to the event" });
      expect(arrived, `${p}: the watch event arrived`).toBeDefined();
      expect(arrived! - changed, `${p}: watch event delay (ms)`).toBeLessThanOrEqual(STREAM_DELAY_MS);
      expect(watch.endedAt, `${p}: the watch stayed open`).toBeUndefined();
    } finally {
      watch.close();
    }
    // logs -f: lines written a second apart arrive a second apart, not in one late burst.
    const logs = StreamReader.open(proxy, `/api/v1/namespaces/${ns.name}/pods/${TICKER}/log?follow=true&tailLines=1`);
    try {
      const lines = (t: string) => t.split("\n").filter((l) => l.startsWith("kac-tick")).length;
      const first = await logs.waitFor((t) => lines(t) >= 1, 10_000);
      const third = await logs.waitFor((t) => lines(t) >= 3, 10_000);
      evidence.add({ request: `GET /api/v1/namespaces/${ns.name}/pods/${TICKER}/log?follow=true (${p})`, status: logs.status, excerpt: logs.text.slice(0, 200), durationMs: first && third ? third - first : 10_000, path: p, note: "time from the first line to the third (written 2 s apart)" });
      expect(first && third, `${p}: three log lines arrived while following`).toBeTruthy();
      expect(third! - first!, `${p}: lines arrived as written`).toBeLessThanOrEqual(2_000 + STREAM_DELAY_MS);
    } finally {
      logs.close();
    }
  }
  // The idle watches opened at setup: still open after IDLE_WATCH_MS without an event, and still live.
  for (const [i, { proxy, reader }] of idleWatches.entries()) {
    const wait = reader.opened + IDLE_WATCH_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await api.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: `px05-idle-${i}`, labels: { [IDLE_LABEL]: "true" } } } });
    const arrived = await reader.waitFor((t) => t.includes(`px05-idle-${i}`), 10_000);
    const quietFor = (reader.endedAt ?? Date.now()) - reader.opened;
    evidence.add({ request: `GET /api/v1/namespaces/${ns.name}/configmaps?watch=1 (${proxy.name}), quiet for ${IDLE_WATCH_MS / 1000} s`, status: reader.status, excerpt: reader.endedAt ? `ended after ${(quietFor / 1000).toFixed(1)} s: ${reader.endReason}` : `open after ${(quietFor / 1000).toFixed(1)} s; the event then arrived: ${arrived !== undefined}`, durationMs: quietFor, path: proxy.name });
    expect(reader.endedAt, `${proxy.name}: the idle watch was cut after ${(quietFor / 1000).toFixed(1)} s (${reader.endReason})`).toBeUndefined();
    expect(arrived, `${proxy.name}: the event after the quiet period arrived`).toBeDefined();
  }
});

/** The fixture's echo of the request it received. */
function echoed(answer: HttpAnswer): { requestURI: string } {
  return JSON.parse(answer.body) as { requestURI: string };
}

/**
 * An encoded HTML answer as a client sees it: the encoding, whether Content-Length matches the bytes,
 * whether it decodes, and whether the API server's link rewriting reached inside.
 */
function decoded(answer: HttpAnswer, what: string): { encoding: string; lengthConsistent: boolean; rewritten: boolean; decodedBytes: number } {
  const encoding = String(answer.headers["content-encoding"] ?? "identity");
  const length = answer.headers["content-length"];
  let html: string;
  try {
    html = (encoding === "gzip" ? gunzipSync(answer.raw) : encoding === "br" ? brotliDecompressSync(answer.raw) : answer.raw).toString("utf8");
  } catch (error) {
    throw new Error(`${what}: the ${encoding} body does not decode (${(error as Error).message})`);
  }
  expect(html, `${what}: the page arrived whole`).toMatch(/<\/html>\s*$/);
  return {
    encoding,
    lengthConsistent: length === undefined || Number(length) === answer.raw.length,
    rewritten: /href="\/api\/v1\/namespaces\/[^"]+\/proxy\/abs\/link/.test(html),
    decodedBytes: html.length,
  };
}

/**
 * Runs a long-lived kubectl command (logs -f, port-forward) until its output matches, then optionally
 * uses it, then stops it. Undefined when it never matched within 20 s.
 */
async function untilLine(evidence: EvidenceLog, kubectl: string, args: string[], pattern: RegExp, shown: string, path: string, use?: (match: RegExpExecArray) => Promise<void>): Promise<RegExpExecArray | undefined> {
  const began = Date.now();
  const child = spawn(kubectl, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  try {
    const match = await new Promise<RegExpExecArray | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = pattern.exec(output);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", () => {
        clearTimeout(timer);
        resolve(pattern.exec(output) ?? undefined);
      });
    });
    evidence.add({ request: shown, status: match ? "streaming" : "no match", excerpt: output, durationMs: Date.now() - began, path });
    if (match && use) await use(match);
    return match;
  } finally {
    await stopProcess(child);
  }
}
