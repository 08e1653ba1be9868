import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { waitFor } from "../../harness/ground/wait.ts";
import { userMay } from "./access-review.ts";
import { EvidenceLog } from "./evidence.ts";

/** How long the suite's tokens live: longer than any suite, short enough to be worthless afterwards. */
const TOKEN_SECONDS = 3600;

/** How long a new RoleBinding may take to reach the API server's authorizer. */
const GRANT_TIMEOUT_MS = 30_000;

/**
 * A ServiceAccount in the suite's namespace with a Role of the given rules, and a short-lived token for
 * it (TokenRequest), returned once the authorizer grants each rule. Everything is namespaced, so
 * deleting the namespace removes it all.
 */
export async function serviceAccountWithToken(config: KubeConfig, namespace: string, name: string, rules: Rule[]): Promise<string> {
  await KubernetesObjectApi.makeApiClient(config).create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } } as KubernetesObject);
  if (rules.length) await grantRole(config, namespace, name, name, rules);
  const request = await config.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name, namespace, body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ServiceAccount ${namespace}/${name}`);
  for (const rule of rules) await untilGranted(config, token, namespace, rule);
  return token;
}

/**
 * Waits until the token may do what the rule grants (its first verb, resource and name), as the token's
 * own SelfSubjectAccessReview says. The RBAC authorizer learns of a new RoleBinding from a watch, so a
 * request right after creating it may still be refused (a 403 seen in CI on a busy cluster).
 */
async function untilGranted(config: KubeConfig, token: string, namespace: string, rule: Rule): Promise<void> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig's current context names no cluster");
  const asToken = new KubeConfig();
  asToken.loadFromOptions({
    clusters: [cluster], users: [{ name: "token", token }],
    contexts: [{ name: "token", cluster: cluster.name, user: "token" }], currentContext: "token",
  });
  const [resource, subresource] = rule.resources[0]!.split("/");
  const attributes = {
    namespace, group: rule.apiGroups[0], resource, subresource,
    verb: rule.verbs[0] === "*" ? "get" : rule.verbs[0], name: rule.resourceNames?.[0],
  };
  // Setup, not a check: the reviews' evidence goes nowhere.
  await waitFor(`RBAC granting ${attributes.verb} ${rule.resources[0]} in ${namespace}`,
    async () => (await userMay(asToken, new EvidenceLog(), attributes)) ? true : undefined,
    { timeoutMs: GRANT_TIMEOUT_MS, intervalMs: 200 });
}

export interface Rule {
  apiGroups: string[];
  resources: string[];
  /** Only these objects, by name (e.g. one Service's proxy). */
  resourceNames?: string[];
  verbs: string[];
}

/** A Role of the given rules bound to an existing ServiceAccount of the namespace. */
export async function grantRole(config: KubeConfig, namespace: string, name: string, serviceAccount: string, rules: Rule[]): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(config);
  await objects.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace }, rules } as KubernetesObject);
  await objects.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }] } as KubernetesObject);
}
