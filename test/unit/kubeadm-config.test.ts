import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { parseClusterConfig } from "../../harness/kind/cluster-config.ts";
import { renderKubeadmConfig, type KubeadmConfigInput } from "../../harness/kind/kubeadm-config.ts";
import { parseKubernetesVersion } from "../../harness/kind/kubernetes-version.ts";

const cluster = parseClusterConfig(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: demo
nodes:
  - role: control-plane
    labels: { tier: cp }
  - role: worker
networking: { podSubnet: 10.10.0.0/16 }
featureGates: { GateB: false, GateA: true }
runtimeConfig: { "api/alpha": "false" }
kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    apiServer:
      extraArgs:
        - { name: v, value: "4" }
  - |
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    maxPods: 50
    failSwapOn: null
`, "test.yaml");

function render(version: string, overrides: Partial<KubeadmConfigInput> = {}) {
  const text = renderKubeadmConfig({
    cluster,
    node: { ...cluster.nodes[0]!, name: "demo-control-plane", address: "172.18.0.2" },
    version: parseKubernetesVersion(version),
    controlPlaneEndpoint: "demo-control-plane:6443",
    token: "abcdef.0123456789abcdef",
    cgroupV1: true,
    provider: "docker",
    ...overrides,
  });
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  return Object.fromEntries(docs.map((d) => [d.kind, d]));
}

for (const version of ["v1.35.4", "v1.36.3", "v1.37.2", "v1.38.0-beta.0"]) {
  test(`kubeadm config for ${version}: documents, versions and addresses`, () => {
    const docs = render(version);
    assert.deepEqual(Object.keys(docs), ["ClusterConfiguration", "InitConfiguration", "JoinConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"]);
    assert.equal(docs.ClusterConfiguration.apiVersion, "kubeadm.k8s.io/v1beta4");
    assert.equal(docs.ClusterConfiguration.kubernetesVersion, version);
    assert.equal(docs.ClusterConfiguration.controlPlaneEndpoint, "demo-control-plane:6443");
    assert.deepEqual(docs.ClusterConfiguration.networking, { podSubnet: "10.10.0.0/16", serviceSubnet: "10.96.0.0/16" });
    assert.deepEqual(docs.InitConfiguration.localAPIEndpoint, { advertiseAddress: "172.18.0.2", bindPort: 6443 });
    assert.deepEqual(docs.InitConfiguration.bootstrapTokens, [{ token: "abcdef.0123456789abcdef" }]);
    assert.deepEqual(docs.JoinConfiguration.discovery.bootstrapToken.apiServerEndpoint, "demo-control-plane:6443");
    assert.deepEqual(docs.InitConfiguration.nodeRegistration.kubeletExtraArgs, [
      { name: "node-ip", value: "172.18.0.2" },
      { name: "provider-id", value: "kind://docker/demo/demo-control-plane" },
      { name: "node-labels", value: "tier=cp" },
    ]);
    assert.equal(docs.KubeletConfiguration.failCgroupV1, false, "kubelet 1.35+ refuses cgroup v1 without it");
    assert.equal(docs.KubeletConfiguration.cgroupRoot, "/kubelet");
    assert.equal(docs.KubeProxyConfiguration.conntrack.maxPerCore, 0);
  });
}

test("feature gates and runtime config reach every component, sorted", () => {
  const docs = render("v1.36.1", { cluster: { ...cluster, kubeadmConfigPatches: [] } });
  const flag = (list: { name: string; value: string }[], name: string) => list.find((a) => a.name === name)?.value;
  assert.equal(flag(docs.ClusterConfiguration.apiServer.extraArgs, "feature-gates"), "GateA=true,GateB=false");
  assert.equal(flag(docs.ClusterConfiguration.apiServer.extraArgs, "runtime-config"), "api/alpha=false");
  assert.equal(flag(docs.ClusterConfiguration.scheduler.extraArgs, "feature-gates"), "GateA=true,GateB=false");
  assert.deepEqual(docs.KubeletConfiguration.featureGates, { GateA: true, GateB: false });
});

test("kubeadmConfigPatches merge into the matching document; null deletes, lists replace", () => {
  const docs = render("v1.36.1");
  assert.deepEqual(docs.ClusterConfiguration.apiServer.extraArgs, [{ name: "v", value: "4" }]);
  assert.equal(docs.KubeletConfiguration.maxPods, 50);
  assert.equal("failSwapOn" in docs.KubeletConfiguration, false);
  assert.equal(docs.InitConfiguration.nodeRegistration.criSocket, "unix:///run/containerd/containerd.sock");
});

test("kubeadm before 1.31 gets v1beta3, with extra arguments as a map", () => {
  const docs = render("v1.30.0");
  for (const kind of ["ClusterConfiguration", "InitConfiguration", "JoinConfiguration"]) assert.equal(docs[kind].apiVersion, "kubeadm.k8s.io/v1beta3", kind);
  assert.deepEqual(docs.InitConfiguration.nodeRegistration.kubeletExtraArgs, { "node-ip": "172.18.0.2", "provider-id": "kind://docker/demo/demo-control-plane", "node-labels": "tier=cp" });
});

test("cgroup v2 hosts and old kubelets get no failCgroupV1", () => {
  assert.equal("failCgroupV1" in render("v1.36.1", { cgroupV1: false }).KubeletConfiguration, false);
  assert.equal("failCgroupV1" in render("v1.30.0").KubeletConfiguration, false);
});

test("node IPAM stays kubeadm's unless the harness assigns the pod subnets", () => {
  const allocate = (docs: ReturnType<typeof render>) =>
    docs.ClusterConfiguration.controllerManager.extraArgs.find((a: { name: string }) => a.name === "allocate-node-cidrs")?.value;
  assert.equal(allocate(render("v1.37.2")), undefined);
  assert.equal(allocate(render("v1.37.2", { podSubnetsAssigned: true })), "false");
  // The pod subnet still goes to kubeadm: kube-proxy tells pod traffic from other traffic by it.
  assert.equal(render("v1.37.2", { podSubnetsAssigned: true }).ClusterConfiguration.networking.podSubnet, "10.10.0.0/16");
});
