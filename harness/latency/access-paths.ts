import type { RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { Agent } from "undici";
import { ProxyUnderTest } from "../proxy/proxy-under-test.ts";
import { PROXY_UNDER_TEST, KUBECTL_PROXY } from "../report/proxy-comparison.ts";
import type { RunContext } from "../run/run-context.ts";
import { KubectlProxy } from "../proxy/kubectl-proxy.ts";
import { measureLatency, type LatencyFigures, type TimedPath } from "./latency.ts";

/** The fixed request mix every API path is timed with: discovery, a namespaced read, the version. */
const API_MIX = ["/api", "/api/v1/namespaces/default", "/version"];
/**
 * The service-proxy path needs no fixture: the `kubernetes` Service's own endpoint answers /version
 * to anyone, so the API server proxying to itself is a service proxy every cluster has.
 */
const SERVICE_PROXY = ["/api/v1/namespaces/default/services/https:kubernetes:443/proxy/version"];

/**
 * p50 and p95 per access path (direct, kubectl proxy, service proxy, the proxy under test), and each
 * path's overhead as a ratio to the direct path.
 */
export async function measureAccessPaths(run: Pick<RunContext, "kubeconfigPath" | "kubectl" | "proxyUnderTest">, rounds: number): Promise<LatencyFigures[]> {
  const config = new KubeConfig();
  config.loadFromFile(run.kubeconfigPath);
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  const direct = new Agent({ connect: { ca: options.ca as string, cert: options.cert as string, key: options.key as string } });
  const headers = (options.headers ?? {}) as Record<string, string>;
  const server = config.getCurrentCluster()!.server;
  const kubectlProxy = await KubectlProxy.start(run.kubectl, run.kubeconfigPath, ["--port=0"]);
  const underTest = await ProxyUnderTest.start(run);
  try {
    const paths: TimedPath[] = [
      { name: "direct", base: server, requests: API_MIX, dispatcher: direct, headers },
      { name: KUBECTL_PROXY, base: kubectlProxy.url, requests: API_MIX },
      { name: "service proxy (via kubectl proxy)", base: kubectlProxy.url, requests: SERVICE_PROXY },
      ...(underTest ? [{ name: PROXY_UNDER_TEST, base: underTest.path.base, requests: API_MIX }] : []),
    ];
    const figures: LatencyFigures[] = [];
    for (const path of paths) figures.push(await measureLatency(path, rounds));
    const base = figures[0]!.p50Ms;
    return figures.map((f) => ({ ...f, overhead: Math.round((f.p50Ms / base) * 100) / 100 }));
  } finally {
    await kubectlProxy.stop();
    await underTest?.stop();
    await direct.close();
  }
}
