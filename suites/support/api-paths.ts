import type { Dispatcher } from "undici";
import { clusterAccess } from "./cluster-access.ts";
import type { EvidenceLog } from "./evidence.ts";
import { http, tlsAgent, type HttpAnswer, type HttpOptions } from "./http.ts";
import type { KubectlProxy } from "./kubectl-proxy.ts";
import { KUBECTL_PROXY } from "../../harness/ground/access-paths.ts";
import type { RunContext } from "../../harness/ground/run-context.ts";

/** One way to reach the API: through a proxy (no credentials) or straight to the API server with a token. */
export interface ApiPath {
  name: string;
  base: string;
  dispatcher?: Dispatcher;
  headers: Record<string, string>;
}

export function proxyPath(proxy: KubectlProxy, name = KUBECTL_PROXY): ApiPath {
  return { name, base: proxy.url, headers: {} };
}

/** Straight to the API server, trusting the kubeconfig's CA, authenticating with a bearer token. */
export async function directPath(run: RunContext, token: string): Promise<ApiPath> {
  const access = await clusterAccess(run);
  return { name: "direct", base: access.server.origin, dispatcher: tlsAgent({ ca: access.tls.ca }), headers: { authorization: `Bearer ${token}` } };
}

export function ask(evidence: EvidenceLog, path: ApiPath, apiPath: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  return http(evidence, `${path.base}${apiPath}`, {
    ...options,
    dispatcher: path.dispatcher,
    headers: { ...path.headers, ...options.headers },
    shownAs: `${apiPath} (${path.name})`,
    path: path.name,
  });
}

/**
 * The same request over every path. The answers are returned by path name; the paths must agree on the
 * status, which is what "regression-testing a proxy" means at its simplest.
 */
export async function askAll(evidence: EvidenceLog, paths: ApiPath[], apiPath: string, options: HttpOptions = {}): Promise<HttpAnswer[]> {
  const answers: HttpAnswer[] = [];
  for (const path of paths) answers.push(await ask(evidence, path, apiPath, options));
  const statuses = answers.map((a, i) => `${paths[i]!.name}: ${a.status}`);
  if (new Set(answers.map((a) => a.status)).size > 1) {
    throw new Error(`the access paths disagree on ${apiPath}: ${statuses.join(", ")}`);
  }
  return answers;
}
