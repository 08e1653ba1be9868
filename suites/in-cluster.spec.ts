import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import type { RunContext } from "../harness/ground/run-context.ts";
import { deployBackend, service } from "./support/backend.ts";
import { check, expect, test } from "./support/check.ts";
import type { Kubectl } from "./support/kubectl.ts";
import { useSuiteNamespace } from "./support/namespace.ts";
import { inPod, startProbePod } from "./support/probe-pod.ts";
import { grantRole, serviceAccountWithToken } from "./support/service-account.ts";

// access-api-from-pod and access-cluster#accessing-the-api-from-a-pod: what a program inside a Pod
// finds (environment, DNS, ServiceAccount files) and the documented ways to reach the API from there.
// Every command runs inside a real Pod of the probe image through `kubectl exec`.

const ns = useSuiteNamespace(test, "in-cluster");
const PROBE = "probe";
const SA = "kac-probe";
const DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Self-test hook (KAC_PROBE_FAULT, "+"-separated, used by the harness's own tests only): breaks one of
 * the suite's probe Pods the way a misconfigured workload is broken, to prove the right checks notice.
 */
const FAULTS: Record<string, { pod: string; change: (pod: V1Pod) => void }> = {
  "no-token": { pod: PROBE, change: (pod) => void (pod.spec!.automountServiceAccountToken = false) },
  "wrong-dns": { pod: PROBE, change: (pod) => void Object.assign(pod.spec!, { dnsPolicy: "None", dnsConfig: { nameservers: ["127.0.0.1"], searches: ["example.invalid"] } }) },
  // The Service's environment overridden by the workload: an address that is not the kubernetes Service's.
  "wrong-service-env": { pod: PROBE, change: (pod) => void (pod.spec!.containers[0]!.env = [{ name: "KUBERNETES_SERVICE_HOST", value: "127.0.0.1" }]) },
  // A token mounted by hand where automounting is off.
  "token-despite-no-automount": { pod: "no-token", change: (pod) => {
    pod.spec!.volumes = [{ name: "token", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } }];
    pod.spec!.containers[0]!.volumeMounts = [{ name: "token", mountPath: DIR }];
  } },
  // The sidecar listens where the documented URL does not look.
  "sidecar-other-port": { pod: "sidecar", change: (pod) => void (pod.spec!.containers[1]!.command = ["kubectl", "proxy", "--port=8002"]) },
  // The Pod that should name no ServiceAccount names one.
  "named-service-account": { pod: "defaults", change: (pod) => void (pod.spec!.serviceAccountName = SA) },
};

/** Starts a probe Pod, broken as KAC_PROBE_FAULT says where a fault names this Pod. */
function startProbe(run: RunContext, name: string, adjust: (pod: V1Pod) => void = () => {}): Promise<void> {
  const faults = (process.env.KAC_PROBE_FAULT ?? "").split("+").filter(Boolean).map((f) => FAULTS[f]).filter((f) => f?.pod === name);
  return startProbePod(ns.config, ns.name, name, run.probeImage, (pod) => {
    adjust(pod);
    for (const fault of faults) fault!.change(pod);
  });
}

test.beforeAll(async ({ run }) => {
  await serviceAccountWithToken(ns.config, ns.name, SA, [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
  // The namespace's own `default` ServiceAccount may list Pods too, for IC-12's clients.
  await grantRole(ns.config, ns.name, "kac-default-lists-pods", "default", [{ apiGroups: [""], resources: ["pods"], verbs: ["list"] }]);
  await deployBackend(ns.config, ns.name, run.fixtureImage, "backend", [service("plain", "backend", [{ port: 80, targetPort: 8080 }])]);
  await startProbe(run, PROBE, (pod) => void (pod.spec!.serviceAccountName = SA));
});

async function kubernetesService(): Promise<{ ip: string; port: number }> {
  const svc = await ns.config.makeApiClient(CoreV1Api).readNamespacedService({ name: "kubernetes", namespace: "default" });
  return { ip: svc.spec!.clusterIP!, port: svc.spec!.ports!.find((p) => p.name === "https")!.port };
}

check("IC-01", async ({ kubectl, verdict }) => {
  const env = await inPod(kubectl, ns.name, PROBE, "echo $KUBERNETES_SERVICE_HOST $KUBERNETES_SERVICE_PORT_HTTPS $KUBERNETES_SERVICE_PORT");
  expect(env.code).toBe(0);
  const [host, httpsPort, port] = env.stdout.trim().split(" ");
  const expected = await kubernetesService();
  expect(host).toBe(expected.ip);
  expect(Number(httpsPort)).toBe(expected.port);
  // The page builds the URL from KUBERNETES_SERVICE_PORT_HTTPS; client libraries read KUBERNETES_SERVICE_PORT.
  if (port !== httpsPort) verdict.warn(`KUBERNETES_SERVICE_PORT (${port}) differs from KUBERNETES_SERVICE_PORT_HTTPS (${httpsPort}): the documented URL and the client libraries reach different ports`);
});

check("IC-02", async ({ kubectl }) => {
  const { ip } = await kubernetesService();
  for (const name of ["kubernetes.default.svc", "kubernetes.default.svc.cluster.local"]) {
    const lookup = await inPod(kubectl, ns.name, PROBE, `getent hosts ${name}`);
    expect(lookup.code, `${name} resolves`).toBe(0);
    expect(lookup.stdout.trim().split(/\s+/)[0]).toBe(ip);
  }
});

check("IC-03", async ({ kubectl }) => {
  const files = await inPod(kubectl, ns.name, PROBE, `ls ${DIR} && cat ${DIR}/namespace`);
  expect(files.code, files.stderr).toBe(0);
  const [listing, namespace] = [files.stdout.split("\n").slice(0, 3).sort(), files.stdout.split("\n")[3]];
  expect(listing).toEqual(["ca.crt", "namespace", "token"]);
  expect(namespace).toBe(ns.name);
  expect(await tokenSubject(kubectl, PROBE)).toBe(`system:serviceaccount:${ns.name}:${SA}`);
});

/** The subject of a Pod's ServiceAccount token, decoded inside the Pod: the token itself never leaves it. */
async function tokenSubject(kubectl: Kubectl, pod: string): Promise<string> {
  const subject = await inPod(kubectl, ns.name, pod, `python3 -c 'import base64, json; p = open("${DIR}/token").read().split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["sub"])'`);
  expect(subject.code, subject.stderr).toBe(0);
  return subject.stdout.trim();
}

/** The page's commands, verbatim. */
const DOCUMENTED_CURL = `APISERVER=https://kubernetes.default.svc
SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
NAMESPACE=$(cat \${SERVICEACCOUNT}/namespace)
TOKEN=$(cat \${SERVICEACCOUNT}/token)
CACERT=\${SERVICEACCOUNT}/ca.crt
curl --cacert \${CACERT} --header "Authorization: Bearer \${TOKEN}" -X GET \${APISERVER}/api`;

check("IC-04", async ({ kubectl }) => {
  const answer = await inPod(kubectl, ns.name, PROBE, DOCUMENTED_CURL);
  expect(answer.code, answer.stderr).toBe(0);
  // The page's sample: {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs":
  // [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.1.149:443"}]}. The same fields, in the same shapes.
  const api = JSON.parse(answer.stdout) as Record<string, unknown>;
  expect(api.kind).toBe("APIVersions");
  expect(api.versions).toEqual(expect.arrayContaining(["v1"]));
  expect((api.versions as unknown[]).every((v) => typeof v === "string")).toBe(true);
  const cidrs = api.serverAddressByClientCIDRs as { clientCIDR?: unknown; serverAddress?: unknown }[];
  expect(Array.isArray(cidrs) && cidrs.length > 0, "serverAddressByClientCIDRs is a non-empty list").toBe(true);
  for (const entry of cidrs) {
    // An IPv4 or IPv6 CIDR, and HOST:PORT (an IPv6 host bracketed).
    expect(String(entry.clientCIDR)).toMatch(/^([\d.]+|[\da-f:]+)\/\d{1,3}$/i);
    expect(String(entry.serverAddress)).toMatch(/^([^:\s]+|\[[\da-f:]+\]):\d+$/i);
  }
});

check("IC-05", async ({ kubectl }) => {
  // curl verifies the certificate against the IP in the URL: it must carry that IP as a SAN.
  const answer = await inPod(kubectl, ns.name, PROBE, `curl -sS -o /dev/null -w '%{http_code}' --cacert ${DIR}/ca.crt https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS/healthz`);
  expect(answer.code, answer.stderr).toBe(0);
  expect(Number(answer.stdout)).toBeGreaterThan(0);
});

check("IC-06", async ({ kubectl, verdict }) => {
  const answer = await inPod(kubectl, ns.name, PROBE, `curl -sS -o /dev/null -w '%{http_code}' --cacert ${DIR}/ca.crt https://kubernetes.default.svc/healthz`);
  // Not guaranteed by the documentation: a certificate without the name is a warning, never a failure.
  if (answer.code === 60) verdict.warn("the serving certificate does not name kubernetes.default.svc (curl exit 60)");
  else expect(answer.code, answer.stderr).toBe(0);
});

check("IC-07", async ({ run, kubectl }) => {
  await startProbe(run, "no-token", (pod) => void (pod.spec!.automountServiceAccountToken = false));
  const files = await inPod(kubectl, ns.name, "no-token", `test ! -e ${DIR}/token && echo "no token"`);
  expect(files.stdout.trim()).toBe("no token");
  const answer = await inPod(kubectl, ns.name, "no-token", "curl -sS -k -o /dev/null -w '%{http_code}' https://kubernetes.default.svc/api");
  expect([401, 403]).toContain(Number(answer.stdout));
});

check("IC-08", async ({ run, kubectl }) => {
  await startProbe(run, "sidecar", (pod) => {
    pod.spec!.serviceAccountName = SA;
    pod.spec!.containers.push({ name: "kubectl-proxy", image: run.probeImage, imagePullPolicy: "IfNotPresent", command: ["kubectl", "proxy", "--port=8001"] });
  });
  // The sidecar may need a moment after Ready to listen: bounded retries on the observable answer.
  await expect.poll(async () => (await inPod(kubectl, ns.name, "sidecar", "curl -sS -o /dev/null -w '%{http_code}' http://localhost:8001/api")).stdout, { timeout: 20_000 }).toBe("200");
  const api = await inPod(kubectl, ns.name, "sidecar", "curl -sS http://localhost:8001/api");
  expect(JSON.parse(api.stdout).kind).toBe("APIVersions");
});

check("IC-09", async ({ kubectl }) => {
  for (const snippet of ["go-list-pods -in-cluster", "python3 /opt/kac/list_pods.py --in-cluster", "node /opt/kac/js/list-pods.mjs --in-cluster"]) {
    const listed = await inPod(kubectl, ns.name, PROBE, snippet);
    expect(listed.code, `${snippet}: ${listed.stderr}`).toBe(0);
    expect(listed.stdout.split("\n"), snippet).toContain(PROBE);
  }
});

check("IC-10", async ({ kubectl }) => {
  const svc = await ns.config.makeApiClient(CoreV1Api).readNamespacedService({ name: "plain", namespace: ns.name });
  for (const address of [`plain.${ns.name}.svc`, svc.spec!.clusterIP!]) {
    const answer = await inPod(kubectl, ns.name, PROBE, `curl -sS http://${address}/from-pod`);
    expect(answer.code, answer.stderr).toBe(0);
    expect(JSON.parse(answer.stdout)).toMatchObject({ fixture: "kac-fixture", port: 8080, path: "/from-pod" });
  }
});

check("IC-11", async ({ kubectl }) => {
  const api = ns.config.makeApiClient(CoreV1Api);
  // Another Pod, by its IP: the backend's HTTP port.
  const podIp = (await api.readNamespacedPod({ name: "backend", namespace: ns.name })).status!.podIP!;
  const pod = await inPod(kubectl, ns.name, PROBE, `curl -sS --max-time 10 http://${podIp}:8080/from-pod-shell`);
  expect(pod.code, pod.stderr).toBe(0);
  expect(JSON.parse(pod.stdout)).toMatchObject({ fixture: "kac-fixture", pod: "backend", path: "/from-pod-shell" });
  // A node, by its InternalIP: the kubelet's port answers (401 or 403 without credentials is reached).
  const nodes = (await api.listNode()).items;
  for (const node of nodes) {
    const ip = node.status!.addresses!.find((a) => a.type === "InternalIP")!.address;
    const kubelet = await inPod(kubectl, ns.name, PROBE, `curl -sS -k --max-time 10 -o /dev/null -w '%{http_code}' https://${ip}:10250/healthz`);
    expect(kubelet.code, `${node.metadata!.name}: ${kubelet.stderr}`).toBe(0);
    expect([200, 401, 403], node.metadata!.name).toContain(Number(kubelet.stdout));
  }
});

check("IC-12", async ({ run, kubectl }) => {
  // A Pod that names no ServiceAccount runs as the namespace's `default` one ...
  await startProbe(run, "defaults");
  const account = await kubectl.kubectl("get", "pod", "defaults", "-n", ns.name, "-o", "jsonpath={.spec.serviceAccountName}");
  expect(account.code, account.stderr).toBe(0);
  expect(account.stdout.trim()).toBe("default");
  expect(await tokenSubject(kubectl, "defaults")).toBe(`system:serviceaccount:${ns.name}:default`);
  // ... and the in-cluster clients, given no namespace, list the Pods of the one in the namespace file.
  for (const snippet of ["go-list-pods -in-cluster", "python3 /opt/kac/list_pods.py --in-cluster", "node /opt/kac/js/list-pods.mjs --in-cluster"]) {
    const listed = await inPod(kubectl, ns.name, "defaults", snippet);
    expect(listed.code, `${snippet}: ${listed.stderr}`).toBe(0);
    expect(listed.stdout.split("\n"), snippet).toContain("defaults");
  }
});
