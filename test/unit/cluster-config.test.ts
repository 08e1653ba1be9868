import assert from "node:assert/strict";
import { test } from "node:test";
import { loadClusterConfig, parseClusterConfig } from "../../harness/kind/cluster-config.ts";
import { UsageError } from "../../harness/errors/usage-error.ts";

const header = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n";

function problem(text: string): string {
  try {
    parseClusterConfig(text, "test.yaml");
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.line();
  }
  assert.fail("expected the config to be rejected");
}

test("the project's kind-config.yaml is one control plane and two workers", () => {
  const config = loadClusterConfig(new URL("../../kind-config.yaml", import.meta.url).pathname);
  assert.deepEqual(config.nodes.map((n) => n.role), ["control-plane", "worker", "worker"]);
  assert.equal(config.name, "kac");
  assert.equal(config.networking.apiServerAddress, "127.0.0.1");
});

test("kind's defaults apply to an empty cluster", () => {
  const config = parseClusterConfig(header, "test.yaml");
  assert.equal(config.name, "kind");
  assert.deepEqual(config.nodes.map((n) => n.role), ["control-plane"]);
  assert.deepEqual(config.networking, {
    ipFamily: "ipv4", apiServerPort: 0, apiServerAddress: "127.0.0.1", podSubnet: "10.244.0.0/16",
    serviceSubnet: "10.96.0.0/16", disableDefaultCNI: false, kubeProxyMode: "iptables",
  });
});

test("every supported field is read", () => {
  const config = parseClusterConfig(`${header}name: full
nodes:
  - role: control-plane
    image: example/node:v1
    labels: { tier: cp }
    extraPortMappings:
      - { containerPort: 30080, hostPort: 8080, listenAddress: 127.0.0.1, protocol: TCP }
    kubeadmConfigPatches:
      - |
        kind: InitConfiguration
        nodeRegistration: { name: x }
  - role: worker
networking: { apiServerPort: 6443, podSubnet: 10.10.0.0/16, serviceSubnet: 10.20.0.0/16, kubeProxyMode: nftables }
featureGates: { SomeGate: true }
runtimeConfig: { "api/alpha": "false" }
kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    apiServer: { extraArgs: [] }
`, "test.yaml");
  assert.equal(config.nodes[0]!.image, "example/node:v1");
  assert.deepEqual(config.nodes[0]!.labels, { tier: "cp" });
  assert.deepEqual(config.nodes[0]!.extraPortMappings, [{ containerPort: 30080, hostPort: 8080, listenAddress: "127.0.0.1", protocol: "TCP" }]);
  assert.equal(config.nodes[0]!.kubeadmConfigPatches.length, 1);
  assert.equal(config.networking.apiServerPort, 6443);
  assert.equal(config.networking.kubeProxyMode, "nftables");
  assert.deepEqual(config.featureGates, { SomeGate: true });
  assert.deepEqual(config.runtimeConfig, { "api/alpha": "false" });
  assert.equal(config.kubeadmConfigPatches.length, 1);
});

test("unknown fields are named, at any depth", () => {
  assert.match(problem(`${header}containerdConfigPatches: []\n`), /field "containerdConfigPatches" is not supported/);
  assert.match(problem(`${header}nodes:\n  - role: control-plane\n    extraMounts: []\n`), /field "nodes\[0\]\.extraMounts" is not supported/);
  assert.match(problem(`${header}networking:\n  dnsSearch: []\n`), /field "networking\.dnsSearch" is not supported/);
});

test("unsupported values are named with what is allowed", () => {
  assert.match(problem(`${header}networking: { ipFamily: ipv6 }\n`), /"networking\.ipFamily" only "ipv4" is supported/);
  assert.match(problem(`${header}nodes: [{ role: master }]\n`), /"nodes\[0\]\.role" must be "control-plane" or "worker"/);
  assert.match(problem(`${header}nodes: [{ role: worker }]\n`), /exactly one control-plane node \(found 0\)/);
  assert.match(problem(`${header}networking: { apiServerPort: 70000 }\n`), /apiServerPort" must be a port number/);
  assert.match(problem(`${header}networking: { podSubnet: everywhere }\n`), /podSubnet" must be an IPv4 CIDR/);
  assert.match(problem("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n"), /"apiVersion" must be "kind\.x-k8s\.io\/v1alpha4"/);
  assert.match(problem(`${header}kubeadmConfigPatches: ["apiServer: {}"]\n`), /must name the kind it patches/);
});

test("broken YAML and missing files are one line each", () => {
  assert.match(problem(`${header}nodes: [\n`), /^error: test\.yaml is not valid YAML at line \d+: .*; fix the YAML syntax$/);
  assert.throws(() => loadClusterConfig("/nonexistent/kind.yaml"), /cannot read kind config \/nonexistent\/kind\.yaml/);
});
