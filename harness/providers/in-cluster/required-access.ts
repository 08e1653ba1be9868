import type { V1PolicyRule } from "@kubernetes/client-node";

/**
 * The proxy subresources are asked with every HTTP method (SP-15), and OPTIONS maps to no named
 * verb: through kubectl proxy the API server authorizes it only under "*".
 */
const PROXY_VERBS = ["*"];
const READ_WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"];

/**
 * What the suites do in a cluster, as RBAC rules: the ClusterRole an in-cluster run (a Job or the
 * Sonobuoy plugin) is bound to, and what the in-cluster provider verifies before any suite starts.
 * The suites work in namespaces of their own, created and deleted per run, so the namespaced rights
 * are granted cluster-wide; `bind` and `escalate` let them grant Roles to the ServiceAccounts they
 * create (the token and service-proxy checks). Outside those namespaces: nodes (node ports, Pod IPs,
 * the node proxy of SP-18) and the Services `kubectl cluster-info` lists in kube-system. Not granted:
 * GET on every core resource, the only rule under which SP-20 can see the removed redirect verb's
 * 404 (it reports n/a with these rights).
 */
export const HARNESS_CLUSTER_ROLE_RULES: V1PolicyRule[] = [
  { apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch", "create", "patch", "delete"] },
  { apiGroups: [""], resources: ["pods", "pods/log", "services", "serviceaccounts", "configmaps", "secrets", "endpoints", "events"], verbs: READ_WRITE },
  { apiGroups: [""], resources: ["pods/exec", "pods/portforward", "pods/proxy", "services/proxy", "nodes/proxy"], verbs: PROXY_VERBS },
  { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
  { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: [...READ_WRITE, "bind", "escalate"] },
  { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], verbs: ["create"] },
  { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"] },
  { nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/version", "/healthz", "/livez", "/readyz", "/openapi/*"], verbs: ["get"] },
];
