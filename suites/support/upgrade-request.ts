import { request } from "node:http";
import type { EvidenceLog } from "./evidence.ts";

/** How long an upgrade request may wait for its answer. */
const UPGRADE_TIMEOUT_MS = 15_000;

/** The headers of the two upgrades kubectl uses for exec, attach and port-forward. */
export const UPGRADES = {
  /** kubectl ≥ 1.31: WebSocket with the v5 channel protocol. */
  websocket: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "a2FjLXB4LWNoZWNrLWtleQ==", "sec-websocket-protocol": "v5.channel.k8s.io" },
  /** Older kubectl, and the fallback: SPDY. */
  spdy: { connection: "Upgrade", upgrade: "SPDY/3.1", "x-stream-protocol-version": "v4.channel.k8s.io" },
} as const;

export interface UpgradeAnswer {
  /** 101 when the upgrade was granted (the connection is closed at once), else the HTTP status. */
  status: number;
  body: string;
}

/**
 * An upgrade request over plain HTTP (Node's client: undici does not report a refused upgrade's status).
 * A granted upgrade is closed straight away; the status is what the check asserts.
 */
export function upgradeRequest(evidence: EvidenceLog, url: string, headers: Record<string, string>, path?: string): Promise<UpgradeAnswer> {
  const began = Date.now();
  const target = new URL(url);
  const [, pathAndQuery] = /^https?:\/\/[^/]+(.*)$/.exec(url) ?? [];
  return new Promise((resolve, reject) => {
    const done = (answer: UpgradeAnswer) => {
      evidence.add({ request: `GET ${url} [upgrade: ${headers.upgrade}${headers.host ? `; host: ${headers.host}` : ""}]`, status: answer.status, excerpt: answer.body, durationMs: Date.now() - began, ...(path ? { path } : {}) });
      resolve(answer);
    };
    const req = request({ host: target.hostname.replace(/^\[|\]$/g, ""), port: target.port, path: pathAndQuery, method: "GET", headers, timeout: UPGRADE_TIMEOUT_MS });
    req.on("upgrade", (_, socket) => {
      socket.destroy();
      done({ status: 101, body: "(upgraded)" });
    });
    req.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk) => (body += chunk)).on("end", () => done({ status: response.statusCode!, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to the upgrade within ${UPGRADE_TIMEOUT_MS / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}
