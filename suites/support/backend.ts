import { CoreV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Service } from "@kubernetes/client-node";
import { expect } from "@playwright/test";

/** The fixture backend's ports: what it listens on, by scheme. */
export const BACKEND_PORTS = { http: [80, 8080, 8081], https: [8443, 8444], udp: 5353, web: 8090 } as const;

/** How long the backend may take to become Ready (image already on the nodes). */
const READY_TIMEOUT_MS = 120_000;

/** How a fixture Pod is made: its app label (the Services' selector), and whether it may ever be Ready. */
export interface FixturePodOptions {
  /** The `app` label; defaults to the Pod's name. */
  app?: string;
  /** A readiness probe that never succeeds: the Pod runs, but no Service may send it anything (SP-11, SP-25). */
  neverReady?: boolean;
}

/**
 * Deploys the kac-fixture backend Pod and the given Services into the namespace and waits until the
 * Pod is Ready. Runs as root only to listen on port 80, the pod proxy's default port.
 */
export async function deployBackend(config: KubeConfig, namespace: string, image: string, name: string, services: V1Service[], options: FixturePodOptions = {}): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(config);
  const pod: KubernetesObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: options.app ?? name } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{
        name: "fixture",
        image,
        imagePullPolicy: "IfNotPresent",
        args: ["--http", BACKEND_PORTS.http.join(","), "--https", BACKEND_PORTS.https.join(","), "--udp", String(BACKEND_PORTS.udp), "--web", String(BACKEND_PORTS.web)],
        env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
        securityContext: { runAsUser: 0 },
        // Port 9 (discard) is never served: a probe there keeps the Pod running but never Ready.
        readinessProbe: options.neverReady ? { tcpSocket: { port: 9 }, periodSeconds: 1 } : { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 1 },
      }],
    },
  } as KubernetesObject;
  await objects.create(pod);
  for (const service of services) await objects.create({ apiVersion: "v1", kind: "Service", ...service, metadata: { ...service.metadata, namespace } } as KubernetesObject);
  const api = config.makeApiClient(CoreV1Api);
  await expect.poll(async () => {
    const status = (await api.readNamespacedPod({ name, namespace })).status;
    if (options.neverReady) return status?.containerStatuses?.[0]?.state?.running ? "Running, not Ready" : `${status?.phase}`;
    return status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? "Ready" : `${status?.phase}: ${status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ""}`;
  }, { timeout: READY_TIMEOUT_MS, message: `backend pod ${namespace}/${name} Ready` }).toBe(options.neverReady ? "Running, not Ready" : "Ready");
}

/** A ClusterIP Service selecting the backend. */
export function service(name: string, selector: string, ports: { name?: string; port: number; targetPort: number; protocol?: string }[], extra: Partial<V1Service> = {}): V1Service {
  return {
    ...extra,
    metadata: { name, ...extra.metadata },
    spec: { selector: { app: selector }, ports: ports.map((p) => ({ protocol: "TCP", ...p })), ...extra.spec },
  };
}
