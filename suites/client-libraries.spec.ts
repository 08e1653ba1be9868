import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { CLIENT_SNIPPETS_DIR } from "../harness/paths.ts";
import { check, expect, test } from "./support/check.ts";
import { missingRuntime } from "./support/missing-runtime.ts";
import { preparedClient } from "./support/prepared-client.ts";
import { startCheckedProxies, stopAll } from "./support/checked-proxies.ts";
import { Kubectl } from "./support/kubectl.ts";
import { useSuiteNamespace } from "./support/namespace.ts";

// access-cluster#programmatic-access-to-the-api: the official client libraries find and authenticate
// to the API server from the same kubeconfig kubectl uses. Each check runs the documentation's snippet
// (load the config, list pods) as its own program and passes when it lists the suite's fixture pod.
// The CLI builds the snippets before the suites start (harness/clients), so a check's time is the
// snippet's run, never a compiler's or pip's.

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

async function expectListed(kubectl: Kubectl, command: string[], args: string[], shown: string): Promise<void> {
  const [file, ...rest] = command;
  const result = await kubectl.command(file!, [...rest, ...args], shown);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.split("\n")).toContain(FIXTURE_POD);
}

check("CL-JS", async ({ run, evidence }) => {
  // loadFromDefault() reads $KUBECONFIG, which the namespaced kubeconfig copy provides.
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, [process.execPath, join(CLIENT_SNIPPETS_DIR, "js", "list-pods.mjs")], [ns.name], `node list-pods.mjs ${ns.name}   # kc.loadFromDefault(); CoreV1Api.listNamespacedPod`);
});

check("CL-GO", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, preparedClient(run, evidence, "go"), ["-kubeconfig", ns.kubeconfig, "-namespace", ns.name], `list-pods -kubeconfig KUBECONFIG -namespace ${ns.name}   # clientcmd.BuildConfigFromFlags`);
});

check("CL-PY", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, preparedClient(run, evidence, "python"), [ns.name], `python list_pods.py ${ns.name}   # config.load_kube_config()`);
});

check("CL-JAVA", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await expectListed(kubectl, preparedClient(run, evidence, "java"), [ns.name], `java ListPods ${ns.name}   # Config.defaultClient(); CoreV1Api.listNamespacedPod`);
});

check("CL-DOTNET", async () => {
  await missingRuntime("dotnet", "KubernetesClient (NuGet)");
});

check("CL-HASKELL", async () => {
  await missingRuntime("ghc", "kubernetes-client (Hackage)");
});

check("CL-PROXY", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  // kubectl proxy, and the proxy under test where the run has one: the clients need neither credentials.
  const proxies = await startCheckedProxies(run, evidence);
  try {
    for (const proxy of proxies) {
      await expectListed(kubectl, preparedClient(run, evidence, "go"), ["-server", proxy.base, "-namespace", ns.name], `list-pods -server ${proxy.base} -namespace ${ns.name}   # ${proxy.name}`);
      await expectListed(kubectl, preparedClient(run, evidence, "python"), [ns.name, "--server", proxy.base], `python list_pods.py ${ns.name} --server ${proxy.base}   # ${proxy.name}`);
    }
  } finally {
    await stopAll(proxies);
  }
});
