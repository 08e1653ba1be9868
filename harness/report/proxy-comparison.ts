import type { CheckResult, ProxyComparison } from "./model.ts";

export const KUBECTL_PROXY = "kubectl proxy";
export const PROXY_UNDER_TEST = "proxy under test";

/**
 * The side-by-side view of a proxy-under-test run: for every check that asked both proxies, the
 * statuses each gave, and whether they differ.
 */
export function compareProxies(checks: CheckResult[]): ProxyComparison[] {
  return checks.flatMap((check) => {
    const statuses = (path: string) => check.evidence.filter((e) => e.path === path).map((e) => String(e.status)).join(" ");
    const kubectlProxy = statuses(KUBECTL_PROXY);
    const proxyUnderTest = statuses(PROXY_UNDER_TEST);
    if (!proxyUnderTest) return [];
    return [{ id: check.id, kubectlProxy, proxyUnderTest, differs: kubectlProxy !== proxyUnderTest || check.result === "fail" }];
  });
}
