import type { CheckResult, ProxyComparison } from "./model.ts";
import { KUBECTL_PROXY, PROXY_UNDER_TEST } from "../ground/access-paths.ts";

/**
 * The side-by-side view of a proxy-under-test run: for every check that asked both proxies, the
 * statuses each gave, whether they differ, and how.
 */
export function compareProxies(checks: CheckResult[]): ProxyComparison[] {
  return checks.flatMap((check) => {
    const statuses = (path: string) => check.evidence.filter((e) => e.path === path).map((e) => String(e.status)).join(" ");
    const kubectlProxy = statuses(KUBECTL_PROXY);
    const proxyUnderTest = statuses(PROXY_UNDER_TEST);
    if (!proxyUnderTest) return [];
    const differs = kubectlProxy !== proxyUnderTest || check.result === "fail";
    // What differed: the failed expectation names the proxy, the request and both values.
    const difference = check.result === "fail" ? check.reason : differs ? "the statuses differ" : undefined;
    return [{ id: check.id, kubectlProxy, proxyUnderTest, differs, ...(difference ? { difference } : {}) }];
  });
}
