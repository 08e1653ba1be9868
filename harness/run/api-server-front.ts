import { lookup } from "node:dns/promises";
import { CoreV1Api, DiscoveryV1Api, KubeConfig } from "@kubernetes/client-node";
import type { ApiServerFront } from "../ground/api-server-front.ts";

/**
 * The documentation's "proxy or load balancer in front of the API server" (access-cluster#many-proxies):
 * the kubeconfig's server address is compared with the API server's endpoints (the EndpointSlices of
 * the `kubernetes` Service). An address among them is the API server itself; the Service's ClusterIP
 * is kube-proxy's virtual IP; anything else forwards (a load balancer, a proxy, Docker's port mapping).
 */
export async function detectApiServerFront(kubeconfigPath: string): Promise<ApiServerFront> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const url = new URL(config.getCurrentCluster()!.server);
  const port = url.port || "443";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const server = `${url.hostname}:${port}`;
  try {
    const resolved = (await lookup(host, { all: true })).map((a) => a.address);
    const slices = await config.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace: "default", labelSelector: "kubernetes.io/service-name=kubernetes" });
    const endpoints = slices.items.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses.flatMap((a) => (s.ports ?? []).map((p) => `${a}:${p.port}`))));
    const service = await config.makeApiClient(CoreV1Api).readNamespacedService({ namespace: "default", name: "kubernetes" });
    const servicePorts = (service.spec?.clusterIPs ?? []).flatMap((ip) => (service.spec?.ports ?? []).map((p) => `${ip}:${p.port}`));
    const at = (list: string[]) => resolved.some((ip) => list.includes(`${ip}:${port}`));
    if (at(endpoints)) return { server, resolved, endpoints, front: "none", evidence: `${server} is an API server endpoint (${endpoints.join(", ")})` };
    if (at(servicePorts)) return { server, resolved, endpoints, front: "kubernetes-service", evidence: `${server} is the kubernetes Service's virtual IP: kube-proxy forwards to ${endpoints.join(", ")}` };
    return { server, resolved, endpoints, front: "other", evidence: `${server} (${resolved.join(", ")}) is not among the API server's endpoints (${endpoints.join(", ")}): a load balancer, proxy or port mapping forwards to them` };
  } catch (error) {
    return { server, resolved: [], endpoints: [], front: "unknown", evidence: `could not compare: ${(error as Error).message.split("\n")[0]}` };
  }
}
