import type { RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import { Agent } from "undici";
import { ProxyUnderTest } from "../proxy/proxy-under-test.ts";
import { PROXY_UNDER_TEST, KUBECTL_PROXY } from "../ground/access-paths.ts";
import type { RunContext } from "../ground/run-context.ts";
import { KubectlProxy } from "../proxy/kubectl-proxy.ts";
import { measureLatency, type TimedPath } from "./latency.ts";
import { type PathLatency } from "../ground/path-latency.ts";

/** The fixed request mix every API path is timed with: discovery, a namespaced read, the version. */
const API_MIX = ["/api", "/api/v1/namespaces/default", "/version"];
/**
 * The service-proxy path needs no fixture of ours: the cluster DNS Service's `metrics` port (CoreDNS's
 * Prometheus endpoint), which kubeadm and kind clusters have. Not the `kubernetes` Service: from
 * v1.36 the API server answers 503 "no endpoints available" when asked to proxy to itself.
 */
const SERVICE_PROXY = ["/api/v1/namespaces/kube-system/services/kube-dns:metrics/proxy/metrics"];

/**
 * p50 and p95 per access path (direct, kubectl proxy, service proxy, the proxy under test), and each
 * path's overhead as a ratio to the direct path. A path that fails is reported as unmeasured, with why.
 */
export async function measureAccessPaths(run: Pick<RunContext, "kubeconfigPath" | "kubectl" | "proxyUnderTest">, rounds: number): Promise<PathLatency[]> {
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
    const figures: PathLatency[] = [];
    for (const path of paths) figures.push(await measureLatency(path, rounds).catch((error: Error) => ({ path: path.name, unmeasured: error.message })));
    const baseline = figures[0]!;
    if ("unmeasured" in baseline) return figures;
    return figures.map((f) => ("unmeasured" in f ? f : { ...f, overhead: Math.round((f.p50Ms / baseline.p50Ms) * 100) / 100 }));
  } finally {
    await kubectlProxy.stop();
    await underTest?.stop();
    await direct.close();
  }
}
