#!/usr/bin/env node
/**
 * A deliberately faulty API proxy for the harness's self-tests: a real `kubectl proxy` behind a front
 * that breaks exactly one thing. Started by the harness as a proxy under test:
 *
 *   --proxy-command "node test/faulty-proxies/faulty-proxy.ts FAULT {port} {kubeconfig}"
 *
 * FAULT is one of the keys of FAULTS; "none" passes everything through unchanged. Each fault is a
 * mistake real proxies have shipped, written from the proxy contract (ACCESS-PATHS.md), not from the
 * harness's code: some live in the front, some in how the kubectl proxy behind it is started.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { parse, stringify } from "yaml";

interface Fault {
  /** Changes the request before it goes on (URL, headers). */
  request?: (req: IncomingMessage) => void;
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
  // Hostile proxies: the run must end in bounded time with failures and evidence, and write its report.
  hang: { hostile: "hang" },
  reset: { hostile: "reset" },
  garbage: { hostile: "garbage" },
  endless: { hostile: "endless" },
};

const [faultName, port, kubeconfig] = process.argv.slice(2);
const fault = FAULTS[faultName ?? ""];
if (!fault || !port || !kubeconfig) {
  process.stderr.write(`usage: faulty-proxy.ts {${Object.keys(FAULTS).join("|")}} PORT KUBECONFIG\n`);
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
  fault.request?.(req);
  if (refused(req)) return void res.writeHead(403, { "content-type": "text/plain" }).end("Forbidden");
  const headers = { ...req.headers, ...(fault.html ? { "accept-encoding": "identity" } : {}) };
  // A truncated body is sent chunked: its old length would leave the upstream waiting for the rest.
  if (fault.truncateBodyAt !== undefined) delete headers["content-length"];
  const out = forward({ host: "127.0.0.1", port: upstream, method: req.method, path: req.url, headers }, (answer) => {
    const added = fault.addHeaders?.(req) ?? {};
    const html = fault.html && String(answer.headers["content-type"]).startsWith("text/html");
    const gzipped = fault.gunzipKeepHeader && answer.headers["content-encoding"] === "gzip";
    if (!html && !gzipped && !fault.buffer) {
      res.writeHead(answer.statusCode!, { ...answer.headers, ...added });
      if (fault.idleTimeoutMs) cutWhenIdle(answer, res, fault.idleTimeoutMs);
      answer.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    answer.on("data", (chunk: Buffer) => chunks.push(chunk)).on("end", () => {
      let body = Buffer.concat(chunks);
      if (html) body = Buffer.from(fault.html!(body.toString("utf8")));
      if (gzipped) body = gunzipSync(body);
      // Sent whole, with its length: the upstream's chunked framing no longer applies.
      const { "transfer-encoding": _chunked, ...kept } = answer.headers;
      res.writeHead(answer.statusCode!, { ...kept, ...added, "content-length": body.length });
      res.end(body);
    });
  });
  out.on("error", (error) => res.headersSent ? res.destroy() : res.writeHead(502).end(String(error)));
  if (fault.truncateBodyAt !== undefined) {
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
server.on("upgrade", (req, socket, head) => {
  if (fault.hostile) return behaveHostile(socket as Socket, () => socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"));
  if (fault.refuseUpgrades?.test(req.url!)) {
    socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
    return;
  }
  fault.request?.(req);
  if (refused(req)) return void socket.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n\r\nForbidden");
  const backend = connect(upstream, "127.0.0.1", () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), "", ""];
    backend.write(lines.join("\r\n"));
    backend.write(head);
    backend.pipe(socket).pipe(backend);
  });
  backend.on("error", () => socket.destroy());
});

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
