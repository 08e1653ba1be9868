import { CoreV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Service } from "@kubernetes/client-node";
import { expect } from "@playwright/test";

/** The fixture backend's ports: what it listens on, by scheme. */
export const BACKEND_PORTS = { http: [80, 8080, 8081], https: [8443, 8444], web: 8090 } as const;

/** How long the backend may take to become Ready (image already on the nodes). */
const READY_TIMEOUT_MS = 120_000;

/**
 * Deploys the kac-fixture backend Pod and the given Services into the namespace and waits until the
 * Pod is Ready. Runs as root only to listen on port 80, the pod proxy's default port.
 */
export async function deployBackend(config: KubeConfig, namespace: string, image: string, name: string, services: V1Service[]): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(config);
  const pod: KubernetesObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{
        name: "fixture",
        image,
        imagePullPolicy: "IfNotPresent",
        args: ["--http", BACKEND_PORTS.http.join(","), "--https", BACKEND_PORTS.https.join(","), "--web", String(BACKEND_PORTS.web)],
        env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
        securityContext: { runAsUser: 0 },
        readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 1 },
      }],
    },
  } as KubernetesObject;
  await objects.create(pod);
  for (const service of services) await objects.create({ apiVersion: "v1", kind: "Service", ...service, metadata: { ...service.metadata, namespace } } as KubernetesObject);
  const api = config.makeApiClient(CoreV1Api);
  await expect.poll(async () => {
    const status = (await api.readNamespacedPod({ name, namespace })).status;
    return status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? "Ready" : `${status?.phase}: ${status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ""}`;
  }, { timeout: READY_TIMEOUT_MS, message: `backend pod ${namespace}/${name} Ready` }).toBe("Ready");
}

/** A ClusterIP Service selecting the backend. */
export function service(name: string, selector: string, ports: { name?: string; port: number; targetPort: number }[], extra: Partial<V1Service> = {}): V1Service {
  return {
    ...extra,
    metadata: { name, ...extra.metadata },
    spec: { selector: { app: selector }, ports: ports.map((p) => ({ protocol: "TCP", ...p })), ...extra.spec },
  };
}
