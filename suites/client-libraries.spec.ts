import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { CLIENT_SNIPPETS_DIR } from "../harness/paths.ts";
import { check, expect, test } from "./support/check.ts";
import { clusterSettled } from "./support/cluster-settled.ts";
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
  await clusterSettled();
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

check("CL-JAVA", async ({ run, evidence, verdict }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  // The result is the current equivalent's (ListPods.java); the page's snippet as written is the drift.
  await expectListed(kubectl, preparedClient(run, evidence, "java"), [ns.name], `java ListPods ${ns.name}   # Config.defaultClient(); CoreV1Api.listNamespacedPod`);
  const asDocumented = run.clients.java?.state === "ready" ? run.clients.java.asDocumented : undefined;
  if (!asDocumented) throw new Error("the Java client was prepared without the page's snippet (a defect of the harness)");
  evidence.add({ ...asDocumented.evidence, note: "the page's snippet, compiled before the checks ran" });
  if (!asDocumented.builds) {
    verdict.docDrift(`the page's Java snippet (KubeConfigFileClientExample) does not compile against the current Java client: ${asDocumented.summary}; the check ran the current equivalent (Config.defaultClient(), then CoreV1Api.listNamespacedPod(NAMESPACE).execute())`);
    return;
  }
  // It builds: run it as written. It reads the literal path "~/.kube/config", which a FileReader does not expand.
  const [file, ...rest] = asDocumented.command!;
  const result = await kubectl.command(file!, rest, "java KubeConfigFileClientExample   # the page's snippet as written");
  if (result.code !== 0) verdict.docDrift(`the page's Java snippet compiles but fails as written (exit ${result.code}): ${result.stderr.trim().split("\n")[0]}`);
});

check("CL-DOTNET", async ({ verdict }) => {
  // Read from the client's source, not run (a skip without dotnet): operations moved under API groups.
  verdict.docDrift("the page's snippet calls client.ListNamespacedPod(\"default\") and pins KubernetesClient 1.6.1; current versions group operations by API (client.CoreV1.ListNamespacedPod), so the snippet as written does not compile against them");
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
