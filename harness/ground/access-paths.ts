/** The names of the proxies a run compares, as evidence, reports and latency tables write them. */
export const KUBECTL_PROXY = "kubectl proxy";
export const PROXY_UNDER_TEST = "proxy under test";
