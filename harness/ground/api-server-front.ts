/**
 * Whether the kubeconfig's server is an API server itself or something in front of it (a load
 * balancer, a proxy, a port mapping, the `kubernetes` Service's virtual IP), as the run found out by
 * comparing the server address with the API server's own endpoints.
 */
export interface ApiServerFront {
  /** host:port of the kubeconfig's server, and the addresses that host resolved to. */
  server: string;
  resolved: string[];
  /** The API server endpoints (EndpointSlices of default/kubernetes) as ip:port. */
  endpoints: string[];
  /** What sits in front, if anything: "none", "kubernetes-service" or "other". */
  front: "none" | "kubernetes-service" | "other" | "unknown";
  /** One line on how this was decided, for the report. */
  evidence: string;
}
