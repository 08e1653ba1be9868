import { ProxyUnderTest } from "../../harness/proxy/proxy-under-test.ts";
import { KUBECTL_PROXY } from "../../harness/ground/access-paths.ts";
import type { RunContext } from "../../harness/ground/run-context.ts";
import type { ApiPath } from "./api-paths.ts";
import type { EvidenceLog } from "./evidence.ts";
import { startProxy } from "./kubectl-proxy.ts";

/** A proxy a contract check asks: `kubectl proxy` (the reference) or the proxy under test. */
export interface CheckedProxy extends ApiPath {
  /** The TCP port it serves on (the port the harness gave a proxy command, or the URL's). */
  port: number;
  /** Whether the harness started it (kubectl proxy, --proxy-command) and so chose how: not for --proxy-url. */
  startedByHarness: boolean;
  stop(): Promise<void>;
}

/**
 * `kubectl proxy --port=0` (no address option) and, when the run has one, the proxy under test, both
 * given `kubeconfig` (the run's unless a check points them elsewhere). kubectl proxy comes first: it is
 * the reference the proxy under test is held to.
 */
export async function startCheckedProxies(run: RunContext, evidence: EvidenceLog, kubeconfig = run.kubeconfigPath): Promise<CheckedProxy[]> {
  const reference = await startProxy(run, evidence, ["--port=0"], kubeconfig);
  const proxies: CheckedProxy[] = [{ name: KUBECTL_PROXY, base: reference.url, headers: {}, port: reference.port, startedByHarness: true, stop: () => reference.stop() }];
  try {
    const underTest = await ProxyUnderTest.start({ ...run, kubeconfigPath: kubeconfig });
    if (underTest) {
      const url = new URL(underTest.path.base);
      proxies.push({ ...underTest.path, port: Number(url.port) || (url.protocol === "https:" ? 443 : 80), startedByHarness: !run.proxyUnderTest?.url, stop: () => underTest.stop() });
    }
  } catch (error) {
    await reference.stop();
    throw error;
  }
  return proxies;
}

export async function stopAll(proxies: readonly CheckedProxy[] | undefined): Promise<void> {
  await Promise.all((proxies ?? []).map((p) => p.stop()));
}
