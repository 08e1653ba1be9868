import type { RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";
import type { RunContext } from "../../harness/ground/run-context.ts";

/** The target's API server and credentials, as the run's kubeconfig gives them. */
export interface ClusterAccess {
  config: KubeConfig;
  server: URL;
  /** TLS material for a client: the cluster CA, and the client certificate and key when the user has them. */
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Authorization header value, when the user authenticates with a token. */
  authorization?: string;
}

/** Reads the kubeconfig through the official client library (exec plugins and file references included). */
export async function clusterAccess(run: RunContext): Promise<ClusterAccess> {
  const config = new KubeConfig();
  config.loadFromFile(run.kubeconfigPath);
  config.setCurrentContext(run.contextName);
  const options: RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  const header = (options.headers as Record<string, string> | undefined)?.Authorization;
  return {
    config,
    server: new URL(config.getCurrentCluster()!.server),
    tls: { ca: options.ca as string | Buffer | undefined, cert: options.cert as string | Buffer | undefined, key: options.key as string | Buffer | undefined },
    ...(header ? { authorization: header } : {}),
  };
}
