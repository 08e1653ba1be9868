import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { HARNESS_CLUSTER_ROLE_RULES } from "../../harness/providers/in-cluster/required-access.ts";

/** The kinds of kubeconfig user the self-tests check the suites with. */
export type CredentialKind = "bearer token" | "exec credential plugin" | "client certificate and key by file path" | "non-admin user";

const NAMESPACE = "default";
const LABELS = { "io.kac.self-test": "credentials" };

/**
 * Writes a kubeconfig of the given kind for the cluster that `adminKubeconfig` reaches, into `dir`, and
 * returns its path and context. Tokens are ServiceAccount tokens (TokenRequest, two hours); the exec
 * plugin reads its token from a file, so the kubeconfig (which KC-01 prints) holds no secret.
 */
export async function writeCredentialKubeconfig(kind: CredentialKind, adminKubeconfig: string, dir: string): Promise<{ path: string; context: string }> {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster()!;
  const caFile = join(dir, "ca.crt");
  await writeFile(caFile, Buffer.from(cluster.caData!, "base64"));
  const context = kind.replace(/\W+/g, "-");
  let user: Record<string, unknown>;
  switch (kind) {
    case "bearer token":
      user = { token: await serviceAccountToken(admin, "kac-cred-admin", "cluster-admin") };
      break;
    case "exec credential plugin": {
      const tokenFile = join(dir, "exec-token");
      await writeFile(tokenFile, await serviceAccountToken(admin, "kac-cred-admin", "cluster-admin"), { mode: 0o600 });
      const credential = `{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}`;
      user = { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "/bin/sh", args: ["-c", `printf '${credential}' "$(cat ${tokenFile})"`], interactiveMode: "Never" } };
      break;
    }
    case "client certificate and key by file path": {
      const current = admin.getCurrentUser()!;
      const [certFile, keyFile] = [join(dir, "client.crt"), join(dir, "client.key")];
      await writeFile(certFile, Buffer.from(current.certData!, "base64"));
      await writeFile(keyFile, Buffer.from(current.keyData!, "base64"), { mode: 0o600 });
      user = { "client-certificate": certFile, "client-key": keyFile };
      break;
    }
    case "non-admin user": {
      const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
      // The in-cluster ClusterRole without the node proxy: SP-18 then meets RBAC's refusal.
      const rules = HARNESS_CLUSTER_ROLE_RULES.map((r) => ({ ...r, ...(r.resources ? { resources: r.resources.filter((x) => x !== "nodes/proxy") } : {}) }));
      await rbac.createClusterRole({ body: { metadata: { name: "kac-cred-limited", labels: LABELS }, rules } });
      user = { token: await serviceAccountToken(admin, "kac-cred-limited", "kac-cred-limited") };
      break;
    }
  }
  const path = join(dir, `${context}.kubeconfig`);
  await writeFile(path, stringify({
    apiVersion: "v1", kind: "Config", "current-context": context,
    clusters: [{ name: "c", cluster: { server: cluster.server, "certificate-authority": caFile } }],
    users: [{ name: context, user }],
    contexts: [{ name: context, context: { cluster: "c", user: context } }],
  }), { mode: 0o600 });
  return { path, context };
}

/** A token of a ServiceAccount bound (cluster-wide) to `clusterRole`, created once per name. */
async function serviceAccountToken(admin: KubeConfig, name: string, clusterRole: string): Promise<string> {
  const core = admin.makeApiClient(CoreV1Api);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace: NAMESPACE, body: { metadata: { name, labels: LABELS } } }).catch(ignoreConflict);
  await rbac.createClusterRoleBinding({ body: {
    metadata: { name, labels: LABELS },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
    subjects: [{ kind: "ServiceAccount", name, namespace: NAMESPACE }],
  } }).catch(ignoreConflict);
  const request = await core.createNamespacedServiceAccountToken({ name, namespace: NAMESPACE, body: { spec: { audiences: [], expirationSeconds: 7200 } } });
  return request.status!.token!;
}

/** Removes what writeCredentialKubeconfig created in the cluster. */
export async function removeCredentialObjects(adminKubeconfig: string): Promise<void> {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const core = admin.makeApiClient(CoreV1Api);
  const labelSelector = "io.kac.self-test=credentials";
  for (const b of (await rbac.listClusterRoleBinding({ labelSelector })).items) await rbac.deleteClusterRoleBinding({ name: b.metadata!.name! });
  for (const r of (await rbac.listClusterRole({ labelSelector })).items) await rbac.deleteClusterRole({ name: r.metadata!.name! });
  for (const a of (await core.listNamespacedServiceAccount({ namespace: NAMESPACE, labelSelector })).items) await core.deleteNamespacedServiceAccount({ namespace: NAMESPACE, name: a.metadata!.name! });
}

function ignoreConflict(error: { code?: number }): void {
  if (error.code !== 409) throw error;
}
