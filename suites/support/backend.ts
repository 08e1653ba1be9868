import { CoreV1Api, DiscoveryV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Service } from "@kubernetes/client-node";
import { expect } from "@playwright/test";
import { waitFor } from "../../harness/ground/wait.ts";
import { clusterSettled } from "./cluster-settled.ts";

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
 * Pod is Ready and listed as a ready endpoint of each of those Services that selects it. Runs as root
 * only to listen on port 80, the pod proxy's default port.
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
  await clusterSettled();
  await objects.create(pod);
  for (const service of services) await objects.create({ apiVersion: "v1", kind: "Service", ...service, metadata: { ...service.metadata, namespace } } as KubernetesObject);
  const api = config.makeApiClient(CoreV1Api);
  await expect.poll(async () => {
    const status = (await api.readNamespacedPod({ name, namespace })).status;
    if (options.neverReady) return status?.containerStatuses?.[0]?.state?.running ? "Running, not Ready" : `${status?.phase}`;
    return status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? "Ready" : `${status?.phase}: ${status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ""}`;
  }, { timeout: READY_TIMEOUT_MS, message: `backend pod ${namespace}/${name} Ready` }).toBe(options.neverReady ? "Running, not Ready" : "Ready");
  if (options.neverReady) return;
  const app = options.app ?? name;
  for (const selecting of services.filter((s) => s.spec?.selector?.app === app)) await untilEndpointsReady(config, namespace, selecting.metadata!.name!, [name]);
}

/**
 * Waits until the Service's EndpointSlices list exactly these Pods as ready. A Pod turns Ready before
 * the EndpointSlice controller lists it, and from 1.37 the API server's service proxy reads
 * EndpointSlices alone: a request in between answers 503 "no endpoints available" (seen in CI when
 * several suites started at once).
 */
export async function untilEndpointsReady(config: KubeConfig, namespace: string, service: string, pods: string[]): Promise<void> {
  const api = config.makeApiClient(DiscoveryV1Api);
  const wanted = [...pods].sort().join(",");
  let seen = "none";
  await waitFor(`Service ${namespace}/${service} listing ${wanted} as ready endpoints`, async () => {
    const slices = await api.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${service}` });
    const ready = slices.items.flatMap((slice) => slice.endpoints ?? [])
      .filter((endpoint) => endpoint.conditions?.ready === true)
      .map((endpoint) => endpoint.targetRef?.name ?? endpoint.addresses.join(" "));
    seen = [...new Set(ready)].sort().join(",") || "none";
    return seen === wanted ? true : undefined;
  }, { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, lastSeen: () => `ready: ${seen}` });
}

/** A ClusterIP Service selecting the backend. */
export function service(name: string, selector: string, ports: { name?: string; port: number; targetPort: number; protocol?: string }[], extra: Partial<V1Service> = {}): V1Service {
  return {
    ...extra,
    metadata: { name, ...extra.metadata },
    spec: { selector: { app: selector }, ports: ports.map((p) => ({ protocol: "TCP", ...p })), ...extra.spec },
  };
}
