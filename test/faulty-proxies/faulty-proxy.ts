#!/usr/bin/env node
/**
 * A deliberately faulty API proxy for the harness's self-tests: a real `kubectl proxy` behind a front
 * that breaks exactly one thing. Started by the harness as a proxy under test:
 *
 *   --proxy-command "node test/faulty-proxies/faulty-proxy.ts FAULT {port} {kubeconfig}"
 *
 * FAULT is one of the keys of FAULTS, or several joined by "+" (faults that touch different requests,
 * so that one proxy carries them all); "none" passes everything through unchanged. Each fault is a
 * mistake real proxies have shipped, written from the catalog (ACCESS-PATHS.md), not from the
 * harness's code: some live in the front, some in how the kubectl proxy behind it is started.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { STATUS_CODES, createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { parse, stringify } from "yaml";

/** An answer the front makes up or rewrites: status, headers, body. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

interface Fault {
  /** Changes the request before it goes on (URL, headers); may ask the API through the kubectl proxy behind. */
  request?: (req: IncomingMessage) => void | Promise<void>;
  /** The front answers the request itself (a refusal, a redirect) instead of passing it on. */
  respond?: (req: IncomingMessage) => Answer | undefined;
  /** Rewrites a whole answer (buffered) when `when` says so; others stream through unchanged. */
  rewriteAnswer?: { when: (req: IncomingMessage, status: number) => boolean; then: (req: IncomingMessage, answer: Answer) => Promise<Answer> };
  /** Changes an answer's headers (streamed answers too). */
  answerHeaders?: (headers: Record<string, string | string[] | number | undefined>) => void;
  /** Request methods whose body the front does not pass on. */
  dropBodyOf?: RegExp;
  /** A filter of the front's own, matched on the request target as it arrived (percent-encoded). */
  rawPathFilter?: RegExp;
  /** The Host values the front accepts (403 for others), where it filters hosts itself. */
  hostFilter?: RegExp;
  /** Rewrites an HTML answer's text. */
  html?: (body: string) => string;
  /** Headers added to every answer. */
  addHeaders?: (req: IncomingMessage) => Record<string, string>;
  /** Holds the whole answer until it ends, then sends it (no streaming). */
  buffer?: boolean;
  /** Cuts an answer that has sent nothing for this long. */
  idleTimeoutMs?: number;
  /** Passes on at most this many bytes of a request body. */
  truncateBodyAt?: number;
  /** Decodes gzip answers but keeps their Content-Encoding header. */
  gunzipKeepHeader?: boolean;
  /** Refuses upgrades (502), all of them or those whose path matches. */
  refuseUpgrades?: RegExp;
  /** Extra flags for the kubectl proxy behind the front. */
  kubectlArgs?: string[];
  /** The kubectl proxy behind the front skips verifying the API server's certificate. */
  insecureUpstream?: boolean;
  /** The front listens on every interface rather than loopback. */
  listenAll?: boolean;
  /** Every request waits this long before it goes on. */
  delayMs?: number;
  /**
   * A hostile proxy: after answering discovery (GET /api/, so that it starts), every other request and
   * upgrade hangs, has its connection reset, gets bytes that are not HTTP, or an answer that never ends.
   */
  hostile?: "hang" | "reset" | "garbage" | "endless";
}

const FAULTS: Record<string, Fault> = {
  none: {},
  // The DNS-rebinding defence: every request reaches kubectl proxy as if addressed to localhost.
  "drop-host-filter": { request: (req) => void (req.headers.host = "localhost") },
  // `https:NAME:` loses its trailing colon and names service "https" instead.
  "strip-trailing-colon": { request: (req) => void (req.url = req.url!.replace(/\/services\/https:([^/:]+):\//, "/services/https:$1/")) },
  "drop-query": { request: (req) => void (req.url = req.url!.split("?")[0]) },
  // Serves paths outside the API from the root of the service the page came from (its Referer): the
  // app's prefix-unaware JavaScript then works, and the documented limitation disappears from view.
  "serve-from-root": {
    request: (req) => {
      const prefix = /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy/.exec(new URL(req.headers.referer ?? "http://x/").pathname)?.[0];
      if (prefix && !/^\/apis?\//.test(req.url!)) req.url = `${prefix}${req.url}`;
    },
  },
  "break-websocket": { refuseUpgrades: /./ },
  // Undoes the API server's rewriting of absolute links in HTML.
  "no-html-rewrite": { html: (body) => body.replace(/((?:href|src|action)=")\/api\/v1\/namespaces\/[^"]*?\/proxy\//g, "$1/") },

  // The proxy contract (PX-01 … PX-10):
  // PX-01: the exec/attach filter matched on the raw, percent-encoded path (kubectl#1332). kubectl
  // proxy's own filter is off behind it (--disable-filter also drops the Host check, which the front
  // then keeps itself, anchored, so that only the path filter is wrong).
  "filter-raw-path": {
    kubectlArgs: ["--disable-filter=true"],
    rawPathFilter: /\/pods\/[^/]+\/(exec|attach)(\?|$)/,
    hostFilter: /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/,
  },
  // PX-02: an allow-list of unanchored patterns: "localhost" also admits localhost.evil.example.
  "unanchored-host-filter": { kubectlArgs: ["--accept-hosts=localhost,127.0.0.1"] },
  // PX-03: permissive CORS, so any web page can drive the API through the local proxy.
  "allow-any-origin": {
    addHeaders: (req): Record<string, string> => (req.headers.origin ? { "access-control-allow-origin": req.headers.origin, "access-control-allow-credentials": "true" } : {}),
  },
  // PX-04: the upstream certificate is not verified.
  "insecure-upstream": { insecureUpstream: true },
  // PX-05: a buffering proxy (watches and logs arrive only when they end) …
  "buffer-responses": { buffer: true },
  // … and one that cuts idle responses after 60 s, as nginx's default proxy_read_timeout does.
  "idle-timeout-60s": { idleTimeoutMs: 60_000 },
  // PX-06: request bodies cut at 512 KiB.
  "truncate-bodies": { truncateBodyAt: 512 * 1024 },
  // PX-07: port-forward's upgrade refused (exec's stays refused by kubectl proxy's filter).
  "refuse-port-forward": { refuseUpgrades: /\/portforward(\?|$)/ },
  // PX-08: paths normalised on the way: "//" collapsed, "%2F" decoded.
  "normalize-paths": { request: (req) => void (req.url = req.url!.replace(/%2F/gi, "/").replace(/\/{2,}/g, "/")) },
  // PX-09: gzip answers decoded by the front, their Content-Encoding left claiming gzip.
  "gunzip-keep-header": { gunzipKeepHeader: true },
  // PX-10: listening on every interface.
  "listen-all": { listenAll: true },
  // Correct, but slow: 50 ms added to every request (a latency regression against a baseline).
  "slow-responses": { delayMs: 50 },

  // Service-, pod- and node-proxy URLs (SP-03 … SP-20), each the mistake of a proxy that parses or
  // routes the API server's proxy URLs itself. Written from the catalog's text of each ID.
  // SP-03, SP-06: `NAME:PORT_NUMBER` read as the container's (target) port, not the Service's.
  "target-port-numbers": {
    request: (req) => rewriteServiceId(req, async (id, ns) => {
      const { scheme, name, port } = splitId(id);
      if (!/^\d+$/.test(port)) return id;
      const servicePort = (await serviceOf(ns, name))?.spec.ports.find((p) => String(p.targetPort) === port);
      return servicePort ? joinId(scheme, name, String(servicePort.port)) : id;
    }),
  },
  // SP-01 (and every check that names a Service without a port): the port named "http" assumed when
  // the URL names none, as if every Service followed that convention.
  "default-port-http": { request: (req) => rewriteServiceId(req, (id) => (id.includes(":") ? id : `${id}:http`)) },
  // SP-02 (and every check that names a port by name, without a scheme): the port name dropped.
  "drop-port-name": { request: (req) => rewriteServiceId(req, (id) => id.replace(/^([^:]+):(?=[^:]*[^0-9:])[^:]+$/, "$1")) },
  // SP-07: an explicit `http:` taken for TLS ("always TLS to a backend that names a scheme").
  "http-as-https": { request: (req) => rewriteServiceId(req, (id) => id.replace(/^http:/, "https:")) },
  // SP-09: an unknown scheme (`ftp:NAME:`) passed on as plain HTTP instead of refused.
  "unknown-scheme-as-http": { request: (req) => rewriteServiceId(req, (id) => id.replace(/^(?!https?:)[a-z][a-z0-9+.-]*:(?=[^:]+:)/, "http:")) },
  // SP-10: an unknown port name falls back to the Service's first port.
  "unknown-port-name-first-port": {
    request: (req) => rewriteServiceId(req, async (id, ns) => {
      const { scheme, name, port } = splitId(id);
      if (!port || /^\d+$/.test(port)) return id;
      const ports = (await serviceOf(ns, name))?.spec.ports;
      if (!ports?.length || ports.some((p) => p.name === port)) return id;
      return joinId(scheme, name, ports[0]!.name ?? String(ports[0]!.port));
    }),
  },
  // SP-11: a Service with no ready endpoints served by any Pod its selector matches, Ready or not.
  "ignore-readiness": {
    rewriteAnswer: {
      when: (req, status) => status === 503 && SERVICE_PROXY.test(req.url!),
      then: async (req, answer) => {
        const [, prefix, id, rest] = SERVICE_PROXY.exec(req.url!)!;
        const ns = /namespaces\/([^/]+)\//.exec(prefix!)![1]!;
        const { scheme, name, port } = splitId(decodeURIComponent(id!));
        const service = await serviceOf(ns, name);
        const servicePort = port ? service?.spec.ports.find((p) => p.name === port || String(p.port) === port) : service?.spec.ports.length === 1 ? service.spec.ports[0] : undefined;
        if (!service?.spec.selector || !servicePort) return answer;
        const selector = Object.entries(service.spec.selector).map(([k, v]) => `${k}=${v}`).join(",");
        const pods = await upstreamJson(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`) as { items: { metadata: { name: string }; status: { phase: string } }[] } | undefined;
        const running = pods?.items.find((p) => p.status.phase === "Running");
        if (!running) return answer;
        return askUpstream(req.method!, `/api/v1/namespaces/${ns}/pods/${joinId(scheme, running.metadata.name, String(servicePort.targetPort))}/proxy${rest}`);
      },
    },
  },
  // SP-12: a missing Service answered with the status the API server does not give for it: 503 where
  // it says 404 NotFound (up to 1.36), 404 where it says 503 "no endpoints available" (1.37 on).
  "missing-service-status-swapped": {
    rewriteAnswer: {
      when: (req, status) => (status === 404 || status === 503) && SERVICE_PROXY.test(req.url!),
      then: async (req, answer) => {
        const [, prefix, id] = SERVICE_PROXY.exec(req.url!)!;
        const ns = /namespaces\/([^/]+)\//.exec(prefix!)![1]!;
        if (await serviceOf(ns, splitId(decodeURIComponent(id!)).name)) return answer;
        return answer.status === 404
          ? jsonAnswer(503, { kind: "Status", apiVersion: "v1", status: "Failure", message: "service unavailable", reason: "ServiceUnavailable", code: 503 })
          : jsonAnswer(404, { kind: "Status", apiVersion: "v1", status: "Failure", message: "service not found", reason: "NotFound", code: 404 });
      },
    },
  },
  // SP-27 and every check that expects the API server proxy's error when the backend cannot be
  // reached: the front's own friendly page with 200 instead (nginx's `error_page 502 503 =200`).
  "upstream-errors-as-200": {
    rewriteAnswer: {
      when: (req, status) => status >= 500 && SERVICE_PROXY.test(req.url!),
      then: async () => ({ status: 200, headers: { "content-type": "text/html" }, body: Buffer.from("<html><body>The service is starting, please try again shortly.</body></html>") }),
    },
  },
  // SP-14: `…/proxy` without its trailing slash served directly (the slash added on the way), no 301.
  "append-proxy-slash": { request: (req) => void (req.url = req.url!.replace(/^(\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy)(\?|$)/, "$1/$2")) },
  // SP-15: DELETE and OPTIONS taken to have no body: theirs are dropped.
  "drop-delete-options-bodies": { dropBodyOf: /^(DELETE|OPTIONS)$/ },
  // SP-08: the pitfall papered over: `https:NAME` "fixed" into `https:NAME:`.
  "add-https-colon": { request: (req) => rewriteServiceId(req, (id) => id.replace(/^https:([^:]+)$/, "https:$1:")) },
  // SP-05, SP-16: `https:NAME:PORT_NAME` losing its scheme (plain HTTP to the TLS port).
  "strip-https-named-port": { request: (req) => rewriteServiceId(req, (id) => id.replace(/^https:([^:]+:(?=[^:]*[^0-9:])[^:]+)$/, "$1")) },
  // SP-16: Services labelled kubernetes.io/cluster-service=true (cluster add-ons) refused.
  "hide-cluster-services": {
    request: async (req) => {
      const match = SERVICE_PROXY.exec(req.url!);
      if (!match) return;
      const ns = /namespaces\/([^/]+)\//.exec(match[1]!)![1]!;
      const service = await serviceOf(ns, splitId(decodeURIComponent(match[2]!)).name);
      if (service?.metadata.labels?.["kubernetes.io/cluster-service"] === "true") req.headers["x-kac-refuse"] = "cluster add-on";
    },
    respond: (req) => (req.headers["x-kac-refuse"] ? textAnswer(403, "Forbidden") : undefined),
  },
  // SP-17: Pod proxy URLs refused (a proxy that knows only Services).
  "refuse-pod-proxy": { respond: (req) => (/^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/proxy(\/|\?|$)/.test(req.url!) ? textAnswer(403, "Forbidden") : undefined) },
  // SP-18: node proxy URLs refused whatever RBAC says.
  "refuse-node-proxy": { respond: (req) => (/^\/api\/v1\/nodes\/[^/]+\/proxy(\/|\?|$)/.test(req.url!) ? textAnswer(403, "Forbidden") : undefined) },
  // SP-20: the removed redirect verb brought back: a redirect to the Service's proxy URL.
  "redirect-verb": {
    respond: (req) => {
      const match = /^\/api\/v1\/redirect\/namespaces\/([^/]+)\/services\/([^/?]+)/.exec(req.url!);
      return match ? { status: 307, headers: { location: `/api/v1/namespaces/${match[1]}/services/${match[2]}/proxy/`, "content-length": 0 }, body: Buffer.alloc(0) } : undefined;
    },
  },

  // kubectl proxy's own behaviour (KP-01, KP-04, KP-06):
  // KP-04 (and with it KP-01's 200, KP-07's accepted hosts, KP-06's 403 Forbidden, KP-12's watch): a
  // proxy that wants credentials of its own client.
  "require-credentials": {
    respond: (req) => (req.headers.authorization ? undefined : { status: 401, headers: { "www-authenticate": 'Bearer realm="proxy"', "content-type": "text/plain" }, body: Buffer.from("Unauthorized") }),
  },
  // KP-06: a filter that knows exec but not attach (kubectl proxy's own filter off behind it; the
  // front keeps the anchored Host filter itself).
  "filter-exec-only": {
    kubectlArgs: ["--disable-filter=true"],
    rawPathFilter: /\/pods\/[^/]+\/exec(\?|$)/,
    hostFilter: /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/,
  },

  // The browser's view of the service proxy (BR-01 … BR-05):
  // BR-01 (and every check that opens the app): HTML served as text/plain, so the page never renders.
  "html-as-text": {
    answerHeaders: (headers) => {
      if (String(headers["content-type"]).startsWith("text/html")) Object.assign(headers, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
    },
  },
  // BR-03 (and BR-05, whose redirect is reached by a relative link): a `<base href="/">` injected, so
  // relative URLs resolve from the root.
  "base-href-root": { html: (body) => body.replace(/<head>/i, '<head><base href="/">') },
  // BR-05 (SP-19's Location clause): the Location header's rewriting into the proxy prefix undone.
  "no-location-rewrite": {
    answerHeaders: (headers) => {
      if (typeof headers.location === "string") headers.location = headers.location.replace(/^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy(?=\/)/, "");
    },
  },
  // Hostile proxies: the run must end in bounded time with failures and evidence, and write its report.
  hang: { hostile: "hang" },
  reset: { hostile: "reset" },
  garbage: { hostile: "garbage" },
  endless: { hostile: "endless" },
};

/**
 * Several faults in one proxy ("a+b+c"), for faults that touch different requests and so cannot
 * interfere: their request changes apply in the order named, the first that answers itself wins.
 */
function combine(names: string[]): Fault | undefined {
  const faults = names.map((name) => FAULTS[name]);
  if (!faults.length || faults.some((f) => !f)) return undefined;
  if (faults.length === 1) return faults[0];
  const all = <K extends keyof Fault>(key: K): NonNullable<Fault[K]>[] => faults.flatMap((f) => (f![key] === undefined ? [] : [f![key]!]));
  const [requests, responders, rewrites, headerChanges, htmls] = [all("request"), all("respond"), all("rewriteAnswer"), all("answerHeaders"), all("html")];
  return {
    ...Object.assign({}, ...faults),
    kubectlArgs: all("kubectlArgs").flat(),
    ...(requests.length ? { request: async (req: IncomingMessage) => { for (const change of requests) await change(req); } } : {}),
    ...(responders.length ? { respond: (req: IncomingMessage) => responders.map((r) => r(req)).find((a) => a) } : {}),
    ...(rewrites.length ? { rewriteAnswer: {
      when: (req: IncomingMessage, status: number) => rewrites.some((r) => r.when(req, status)),
      then: async (req: IncomingMessage, answer: Answer) => {
        const status = answer.status;
        for (const rewrite of rewrites) if (rewrite.when(req, status)) answer = await rewrite.then(req, answer);
        return answer;
      },
    } } : {}),
    ...(headerChanges.length ? { answerHeaders: (headers: Answer["headers"]) => headerChanges.forEach((change) => change(headers)) } : {}),
    ...(htmls.length ? { html: (body: string) => htmls.reduce((text, change) => change(text), body) } : {}),
  };
}

const [faultName, port, kubeconfig] = process.argv.slice(2);
const fault = combine((faultName ?? "").split("+"));
if (!fault || !port || !kubeconfig) {
  process.stderr.write(`usage: faulty-proxy.ts {${Object.keys(FAULTS).join("|")}}[+FAULT…] PORT KUBECONFIG\n`);
  process.exit(2);
}

const kubectl = spawn(process.env.KAC_KUBECTL || "kubectl", ["--kubeconfig", upstreamKubeconfig(kubeconfig), "proxy", "--port=0", ...(fault.kubectlArgs ?? [])], { stdio: ["ignore", "pipe", "inherit"] });
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => { kubectl.kill(); process.exit(0); });
const upstream = await new Promise<number>((resolve) => {
  let said = "";
  kubectl.stdout!.on("data", (chunk) => {
    said += chunk;
    const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(said);
    if (match) resolve(Number(match[1]));
  });
});

/** The kubeconfig kubectl proxy gets: as given, or with certificate verification switched off. */
function upstreamKubeconfig(path: string): string {
  if (!fault!.insecureUpstream) return path;
  const config = parse(readFileSync(path, "utf8"));
  for (const { cluster } of config.clusters) {
    delete cluster["certificate-authority"];
    delete cluster["certificate-authority-data"];
    cluster["insecure-skip-tls-verify"] = true;
  }
  const insecure = `${path}.insecure-${process.pid}`;
  writeFileSync(insecure, stringify(config), { mode: 0o600 });
  process.on("exit", () => void import("node:fs").then((fs) => fs.rmSync(insecure, { force: true })));
  return insecure;
}

const server = createServer(async (req, res) => {
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.hostile && req.url !== "/api/") return behaveHostile(req.socket, () => res.writeHead(200, { "content-type": "application/json" }).write("{"));
  await fault.request?.(req);
  if (refused(req)) return void res.writeHead(403, { "content-type": "text/plain" }).end("Forbidden");
  const made = fault.respond?.(req);
  if (made) return void res.writeHead(made.status, made.headers as Record<string, string>).end(made.body);
  const headers: IncomingMessage["headers"] = { ...req.headers, ...(fault.html ? { "accept-encoding": "identity" } : {}) };
  delete headers["x-kac-refuse"];
  const dropBody = fault.dropBodyOf?.test(req.method!) ?? false;
  // A truncated body is sent chunked: its old length would leave the upstream waiting for the rest.
  if (fault.truncateBodyAt !== undefined) delete headers["content-length"];
  if (dropBody) {
    delete headers["transfer-encoding"];
    headers["content-length"] = "0";
  }
  const out = forward({ host: "127.0.0.1", port: upstream, method: req.method, path: req.url, headers }, (answer) => {
    const added = fault.addHeaders?.(req) ?? {};
    const html = fault.html && String(answer.headers["content-type"]).startsWith("text/html");
    const gzipped = fault.gunzipKeepHeader && answer.headers["content-encoding"] === "gzip";
    const rewritten = fault.rewriteAnswer?.when(req, answer.statusCode!) ?? false;
    if (!html && !gzipped && !fault.buffer && !rewritten) {
      const sent: Answer["headers"] = { ...answer.headers, ...added };
      fault.answerHeaders?.(sent);
      res.writeHead(answer.statusCode!, sent as Record<string, string>);
      if (fault.idleTimeoutMs) cutWhenIdle(answer, res, fault.idleTimeoutMs);
      // A reset on either side ends this exchange only, never the proxy (the harness would see it die).
      answer.on("error", () => res.destroy());
      answer.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    answer.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", async () => {
      let body = Buffer.concat(chunks);
      if (html) body = Buffer.from(fault.html!(body.toString("utf8")));
      if (gzipped) body = gunzipSync(body);
      // Sent whole, with its length: the upstream's chunked framing no longer applies.
      const { "transfer-encoding": _chunked, ...kept } = answer.headers;
      let whole: Answer = { status: answer.statusCode!, headers: { ...kept, ...added }, body };
      if (rewritten) whole = await fault.rewriteAnswer!.then(req, whole).catch((error: Error) => textAnswer(502, String(error)));
      const { "transfer-encoding": _framing, ...sent } = whole.headers;
      fault.answerHeaders?.(sent);
      res.writeHead(whole.status, { ...sent, "content-length": String(whole.body.length) } as Record<string, string>);
      res.end(whole.body);
    });
  });
  out.on("error", (error) => res.headersSent ? res.destroy() : res.writeHead(502).end(String(error)));
  req.on("error", () => out.destroy());
  res.on("error", () => out.destroy());
  if (dropBody) {
    req.resume();
    out.end();
  } else if (fault.truncateBodyAt !== undefined) {
    let sent = 0;
    req.on("data", (chunk: Buffer) => {
      const room = Math.max(0, fault.truncateBodyAt! - sent);
      if (room > 0) out.write(chunk.subarray(0, room));
      sent += chunk.length;
    }).on("end", () => out.end());
  } else {
    req.pipe(out);
  }
});

// Upgrades (exec, port-forward, WebSocket) go through at the byte level, with the same request fault applied.
server.on("upgrade", async (req, socket, head) => {
  if (fault.hostile) return behaveHostile(socket as Socket, () => socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"));
  if (fault.refuseUpgrades?.test(req.url!)) {
    socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
    return;
  }
  await fault.request?.(req);
  if (refused(req)) return void socket.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n\r\nForbidden");
  const made = fault.respond?.(req);
  if (made) {
    const headers = Object.entries(made.headers).filter(([k]) => k.toLowerCase() !== "content-length").map(([k, v]) => `${k}: ${v}`);
    const head = [`HTTP/1.1 ${made.status} ${STATUS_CODES[made.status] ?? ""}`, ...headers, `content-length: ${made.body.length}`, "", ""].join("\r\n");
    return void socket.end(Buffer.concat([Buffer.from(head), made.body]));
  }
  const backend = connect(upstream, "127.0.0.1", () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), "", ""];
    backend.write(lines.join("\r\n"));
    backend.write(head);
    backend.pipe(socket).pipe(backend);
  });
  backend.on("error", () => socket.destroy());
  socket.on("error", () => backend.destroy());
});

/** A service-proxy URL: its prefix up to the Service id, the id (`[SCHEME:]NAME[:PORT]`), and what follows `/proxy`. */
const SERVICE_PROXY = /^(\/api\/v1\/namespaces\/[^/]+\/services\/)([^/?]+)\/proxy(.*)$/;

/** Changes the Service id of a service-proxy URL (NS is the URL's namespace). */
async function rewriteServiceId(req: IncomingMessage, change: (id: string, ns: string) => string | Promise<string>): Promise<void> {
  const match = SERVICE_PROXY.exec(req.url!);
  if (!match) return;
  const [, prefix, id, rest] = match;
  const ns = /namespaces\/([^/]+)\//.exec(prefix!)![1]!;
  req.url = `${prefix}${await change(id!, ns)}/proxy${rest}`;
}

/** `[SCHEME:]NAME[:PORT]` as the API server reads it: two parts are NAME:PORT, three SCHEME:NAME:PORT. */
function splitId(id: string): { scheme: string; name: string; port: string } {
  const parts = id.split(":");
  if (parts.length === 3) return { scheme: parts[0]!, name: parts[1]!, port: parts[2]! };
  return { scheme: "", name: parts[0]!, port: parts[1] ?? "" };
}

function joinId(scheme: string, name: string, port: string): string {
  return scheme ? `${scheme}:${name}:${port}` : port ? `${name}:${port}` : name;
}

interface ServiceObject {
  metadata: { labels?: Record<string, string> };
  spec: { selector?: Record<string, string>; ports: { name?: string; port: number; targetPort: number | string }[] };
}

/** A Service, read through the kubectl proxy behind the front (undefined when there is none). */
function serviceOf(ns: string, name: string): Promise<ServiceObject | undefined> {
  return upstreamJson(`/api/v1/namespaces/${ns}/services/${encodeURIComponent(name)}`) as Promise<ServiceObject | undefined>;
}

async function upstreamJson(path: string): Promise<unknown> {
  const answer = await askUpstream("GET", path);
  return answer.status === 200 ? JSON.parse(answer.body.toString("utf8")) : undefined;
}

/** One request to the kubectl proxy behind the front, buffered. */
function askUpstream(method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    forward({ host: "127.0.0.1", port: upstream, method, path, headers: { host: "localhost" } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", () => resolve({ status: answer.statusCode!, headers: answer.headers, body: Buffer.concat(chunks) })).on("error", reject);
    }).on("error", reject).end();
  });
}

function textAnswer(status: number, text: string): Answer {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: Buffer.from(text) };
}

function jsonAnswer(status: number, value: unknown): Answer {
  return { status, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(value)) };
}

/** A hostile proxy's one way of answering (see Fault.hostile); `begin` starts an answer that never ends. */
function behaveHostile(socket: Socket, begin: () => void): void {
  switch (fault!.hostile) {
    case "hang": return;
    case "reset": return void socket.resetAndDestroy();
    case "garbage": return void socket.end("\x00\x17 this is not HTTP \xff\r\n\r\n");
    case "endless": {
      begin();
      const trickle = setInterval(() => socket.writable ? socket.write(" ") : clearInterval(trickle), 1000);
      socket.on("close", () => clearInterval(trickle));
      return;
    }
  }
}

/** What the front's own filters refuse. */
function refused(req: IncomingMessage): boolean {
  return Boolean(fault!.rawPathFilter?.test(req.url!) || (fault!.hostFilter && !fault!.hostFilter.test(req.headers.host ?? "")));
}

/** Ends an answer that has been silent for `ms`, as an idle timeout does. */
function cutWhenIdle(answer: IncomingMessage, res: ServerResponse, ms: number): void {
  let timer = setTimeout(cut, ms);
  function cut() {
    answer.destroy();
    res.destroy();
  }
  answer.on("data", () => {
    clearTimeout(timer);
    timer = setTimeout(cut, ms);
  });
  answer.on("close", () => clearTimeout(timer));
}

server.listen(Number(port), fault.listenAll ? "0.0.0.0" : "127.0.0.1");
