import type { Readable } from "node:stream";
import { Agent, getGlobalDispatcher, type Dispatcher } from "undici";
import type { EvidenceLog } from "./evidence.ts";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's bytes as they came (for encoded bodies such as gzip). */
  raw: Buffer;
  durationMs: number;
}

export interface HttpOptions {
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string>;
  /** A stream is sent chunked (no Content-Length). */
  body?: string | Buffer | Readable;
  /** An agent with TLS material, a Unix socket, or both. */
  dispatcher?: Dispatcher;
  /** What the evidence shows instead of the URL (e.g. the socket path). */
  shownAs?: string;
  /** The access path this request takes, for the report's side-by-side view. */
  path?: string;
}

/**
 * One HTTP request with undici, recorded as evidence: method and URL, status, body excerpt, time.
 * Redirects are not followed: where a path redirects is itself what some checks assert. The path is
 * sent exactly as written (`//`, `%2E%2E`, `%2F` unchanged): what a proxy does with it is under test.
 * Every request is bounded in time, so a proxy that hangs fails the check rather than the run.
 */
export async function http(evidence: EvidenceLog, url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const method = options.method ?? "GET";
  const began = Date.now();
  const [, origin, target] = /^(https?:\/\/[^/?#]+)(.*)$/.exec(url) ?? [];
  if (!origin) throw new Error(`not an http(s) URL: ${url}`);
  const shown = `${method} ${options.shownAs ?? url}${headerNote(options.headers)}`;
  let response: Dispatcher.ResponseData;
  let raw: Buffer;
  try {
    response = await (options.dispatcher ?? getGlobalDispatcher()).request({
      origin,
      path: target || "/",
      method,
      headers: options.headers,
      body: options.body,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    raw = Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    // A reset, a hang past the timeout, garbage: evidence too, then the check's failure.
    evidence.add({ request: shown, status: "transport error", excerpt: (error as Error).message, durationMs: Date.now() - began, ...(options.path ? { path: options.path } : {}) });
    throw error;
  }
  const body = raw.toString("utf8");
  const answer = { status: response.statusCode, headers: response.headers, body, raw, durationMs: Date.now() - began };
  const encoding = response.headers["content-encoding"];
  const excerpt = encoding && encoding !== "identity" ? `(${encoding}-encoded body, ${raw.length} bytes)` : body;
  evidence.add({ request: shown, status: answer.status, excerpt, durationMs: answer.durationMs, ...(options.path ? { path: options.path } : {}) });
  return answer;
}

/** Request headers worth showing in evidence (the Authorization value is redacted downstream). */
function headerNote(headers: Record<string, string> | undefined): string {
  const shown = Object.entries(headers ?? {}).filter(([name]) => /^(host|authorization|accept|content-type)$/i.test(name));
  return shown.length ? ` [${shown.map(([n, v]) => `${n}: ${v}`).join("; ")}]` : "";
}

/** An agent that trusts only the given CA (and presents a client certificate when given one). */
export function tlsAgent(tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean }): Agent {
  return new Agent({ connect: { ...tls } });
}
