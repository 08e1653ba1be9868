import { CoreV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";

/** How long the suite's tokens live: longer than any suite, short enough to be worthless afterwards. */
const TOKEN_SECONDS = 3600;

/**
 * A ServiceAccount in the suite's namespace with a Role of the given rules, and a short-lived token for
 * it (TokenRequest). Everything is namespaced, so deleting the namespace removes it all.
 */
export async function serviceAccountWithToken(config: KubeConfig, namespace: string, name: string, rules: Rule[]): Promise<string> {
  await KubernetesObjectApi.makeApiClient(config).create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } } as KubernetesObject);
  if (rules.length) await grantRole(config, namespace, name, name, rules);
  const request = await config.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name, namespace, body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ServiceAccount ${namespace}/${name}`);
  return token;
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
