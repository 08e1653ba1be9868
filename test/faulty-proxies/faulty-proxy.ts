#!/usr/bin/env node
/**
 * A deliberately faulty API proxy for the harness's self-tests: a real `kubectl proxy` behind a front
 * that breaks exactly one thing. Started by the harness as a proxy under test:
 *
 *   --proxy-command "node test/faulty-proxies/faulty-proxy.ts FAULT {port} {kubeconfig}"
 *
 * FAULT is one of the keys of FAULTS; "none" passes everything through unchanged.
 */
import { spawn } from "node:child_process";
import { createServer, request as forward, type IncomingMessage } from "node:http";
import { connect } from "node:net";

type Fault = { request?: (req: IncomingMessage) => void; html?: (body: string) => string; refuseUpgrades?: boolean };

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
  "break-websocket": { refuseUpgrades: true },
  // Undoes the API server's rewriting of absolute links in HTML.
  "no-html-rewrite": { html: (body) => body.replace(/((?:href|src|action)=")\/api\/v1\/namespaces\/[^"]*?\/proxy\//g, "$1/") },
};

const [faultName, port, kubeconfig] = process.argv.slice(2);
const fault = FAULTS[faultName ?? ""];
if (!fault || !port || !kubeconfig) {
  process.stderr.write(`usage: faulty-proxy.ts {${Object.keys(FAULTS).join("|")}} PORT KUBECONFIG\n`);
  process.exit(2);
}

const kubectl = spawn(process.env.KAC_KUBECTL || "kubectl", ["--kubeconfig", kubeconfig, "proxy", "--port=0"], { stdio: ["ignore", "pipe", "inherit"] });
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => { kubectl.kill(); process.exit(0); });
const upstream = await new Promise<number>((resolve) => {
  let said = "";
  kubectl.stdout!.on("data", (chunk) => {
    said += chunk;
    const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(said);
    if (match) resolve(Number(match[1]));
  });
});

const server = createServer((req, res) => {
  fault.request?.(req);
  const headers = { ...req.headers, ...(fault.html ? { "accept-encoding": "identity" } : {}) };
  const out = forward({ host: "127.0.0.1", port: upstream, method: req.method, path: req.url, headers }, (answer) => {
    const html = fault.html && String(answer.headers["content-type"]).startsWith("text/html");
    if (!html) {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
      return;
    }
    let body = "";
    answer.setEncoding("utf8").on("data", (chunk) => (body += chunk)).on("end", () => {
      const changed = fault.html!(body);
      res.writeHead(answer.statusCode!, { ...answer.headers, "content-length": Buffer.byteLength(changed) });
      res.end(changed);
    });
  });
  out.on("error", (error) => res.writeHead(502).end(String(error)));
  req.pipe(out);
});

// Upgrades (exec, WebSocket) go through at the byte level, with the same request fault applied.
server.on("upgrade", (req, socket, head) => {
  if (fault.refuseUpgrades) {
    socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
    return;
  }
  fault.request?.(req);
  const backend = connect(upstream, "127.0.0.1", () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`), "", ""];
    backend.write(lines.join("\r\n"));
    backend.write(head);
    backend.pipe(socket).pipe(backend);
  });
  backend.on("error", () => socket.destroy());
});

server.listen(Number(port), "127.0.0.1");
