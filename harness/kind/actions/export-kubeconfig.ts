import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parse, stringify } from "yaml";
import { API_SERVER_BIND_PORT } from "../kubeadm-config.ts";
import { controlPlane, type Action } from "./action.ts";

/**
 * Writes a kubeconfig for the host: kubeadm's admin.conf with the server rewritten to the API server
 * port published on the host (covered by the certificate's SANs), and kind's naming (kind-NAME).
 */
export const exportKubeconfig: Action = {
  name: "export kubeconfig",
  async run(context) {
    const node = controlPlane(context);
    const admin = parse(await node.run(["cat", "/etc/kubernetes/admin.conf"]));
    const name = `kind-${context.config.name}`;
    const server = `https://${hostForUrl(context.config.networking.apiServerAddress)}:${node.hostPort(API_SERVER_BIND_PORT)}`;
    context.apiServerUrl = server;
    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { ...admin.clusters[0].cluster, server } }],
      users: [{ name, user: admin.users[0].user }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      preferences: {},
    };
    await mkdir(dirname(context.kubeconfigPath), { recursive: true });
    // The file holds the cluster-admin client key: readable by its owner only.
    await writeFile(context.kubeconfigPath, stringify(kubeconfig), { mode: 0o600 });
  },
};

/** A published port on 0.0.0.0 is reachable on loopback; IPv6 literals need brackets in URLs. */
function hostForUrl(address: string): string {
  if (address === "0.0.0.0") return "127.0.0.1";
  return address.includes(":") ? `[${address}]` : address;
}
