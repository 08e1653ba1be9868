import { CoreV1Api } from "@kubernetes/client-node";
import { check, expect, test } from "./support/check.ts";
import { goClient, javaClient, jsClient, pythonClient, unavailableClient, type ClientBuild } from "./support/client-builds.ts";
import { startProxy } from "./support/kubectl-proxy.ts";
import { Kubectl } from "./support/kubectl.ts";
import { useSuiteNamespace } from "./support/namespace.ts";

// access-cluster#programmatic-access-to-the-api: the official client libraries find and authenticate
// to the API server from the same kubeconfig kubectl uses. Each check runs the documentation's snippet
// (load the config, list pods) as its own program and passes when it lists the suite's fixture pod.

// Not serial: a failing check must not hide the results of the others. After a failure Playwright
// starts a fresh worker, which sets the suite up again.
const ns = useSuiteNamespace(test, "client-libraries");
const FIXTURE_POD = "kac-listed-pod";

test.beforeAll(async ({ run }) => {
  await ns.config.makeApiClient(CoreV1Api).createNamespacedPod({ namespace: ns.name, body: {
    metadata: { name: FIXTURE_POD },
    spec: { containers: [{ name: "fixture", image: run.fixtureImage, imagePullPolicy: "IfNotPresent" }], terminationGracePeriodSeconds: 0 },
  } });
});

async function expectListed(kubectl: Kubectl, build: ClientBuild, args: string[], shown: string): Promise<void> {
  test.skip(!build.ok, build.ok ? "" : build.reason);
  if (!build.ok) return;
  const [file, ...rest] = build.command;
  const result = await kubectl.command(file!, [...rest, ...args], shown);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.split("\n")).toContain(FIXTURE_POD);
}

check("CL-JS", async ({ run, evidence }) => {
  // loadFromDefault() reads $KUBECONFIG, which the namespaced kubeconfig copy provides.
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, jsClient(), [ns.name], `node list-pods.mjs ${ns.name}   # kc.loadFromDefault(); CoreV1Api.listNamespacedPod`);
});

check("CL-GO", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, await goClient(), ["-kubeconfig", ns.kubeconfig, "-namespace", ns.name], `list-pods -kubeconfig KUBECONFIG -namespace ${ns.name}   # clientcmd.BuildConfigFromFlags`);
});

check("CL-PY", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, await pythonClient(), [ns.name], `python list_pods.py ${ns.name}   # config.load_kube_config()`);
});

check("CL-JAVA", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, await javaClient(), [ns.name], `java ListPods ${ns.name}   # Config.defaultClient(); CoreV1Api.listNamespacedPod`);
});

check("CL-DOTNET", async ({ run, evidence }) => {
  await expectListed(new Kubectl(run, evidence, ns.kubeconfig), await unavailableClient("dotnet", "KubernetesClient (NuGet)"), [], "");
});

check("CL-HASKELL", async ({ run, evidence }) => {
  await expectListed(new Kubectl(run, evidence, ns.kubeconfig), await unavailableClient("ghc", "kubernetes-client (Hackage)"), [], "");
});

check("CL-PROXY", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  const proxy = await startProxy(run, evidence, ["--port=0"]);
  try {
    await expectListed(kubectl, await goClient(), ["-server", proxy.url, "-namespace", ns.name], `list-pods -server ${proxy.url} -namespace ${ns.name}`);
    await expectListed(kubectl, await pythonClient(), [ns.name, "--server", proxy.url], `python list_pods.py ${ns.name} --server ${proxy.url}`);
  } finally {
    await proxy.stop();
  }
});
