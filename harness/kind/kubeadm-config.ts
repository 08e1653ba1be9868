import { parse, stringify } from "yaml";
import type { ClusterConfig, NodeConfig } from "./cluster-config.ts";
import { atLeast, type KubernetesVersion } from "./kubernetes-version.ts";
import { mergePatch } from "./merge-patch.ts";

/** Where a node's containerd listens; kubeadm needs it named because several runtimes could be present. */
const CRI_SOCKET = "unix:///run/containerd/containerd.sock";

/** The port the API server binds inside the control-plane container (kind's well-known port). */
export const API_SERVER_BIND_PORT = 6443;

export interface KubeadmConfigInput {
  cluster: ClusterConfig;
  node: NodeConfig & { name: string; address: string };
  version: KubernetesVersion;
  /** host:port of the control-plane node on the cluster's Docker network. */
  controlPlaneEndpoint: string;
  /** The bootstrap token kubeadm init creates and kubeadm join presents. */
  token: string;
  /** The host runs cgroup v1: kubelet 1.35+ refuses it unless told otherwise. */
  cgroupV1: boolean;
  /** Provider segment of the node's provider ID, as kind writes it (kind://docker/CLUSTER/NODE). */
  provider: string;
  /** The harness assigns the nodes' pod subnets (writeCniConfig): the controller manager must not. */
  podSubnetsAssigned?: boolean;
}

/**
 * Renders the kubeadm config file for one node (what kind writes to /kind/kubeadm.conf): the cluster,
 * init or join, kubelet and kube-proxy documents, with the cluster-wide and then the node's own
 * kubeadmConfigPatches applied, as kind applies them.
 */
export function renderKubeadmConfig(input: KubeadmConfigInput): string {
  const docs = [
    clusterConfiguration(input),
    initConfiguration(input),
    joinConfiguration(input),
    kubeletConfiguration(input),
    ...(input.cluster.networking.kubeProxyMode === "none" ? [] : [kubeProxyConfiguration(input)]),
  ];
  const patched = [...input.cluster.kubeadmConfigPatches, ...input.node.kubeadmConfigPatches]
    .reduce((current, patch) => applyPatch(current, parse(patch)), docs);
  return patched.map((doc) => stringify(doc)).join("---\n");
}

type Doc = Record<string, unknown>;

// Preflight would pull images (the node image carries them already) and judge the host kernel, which
// is not the node's to change; kind skips it for the same reasons.
export const SKIP_PHASES = ["preflight"];

function applyPatch(docs: Doc[], patch: Doc): Doc[] {
  const { kind, apiVersion, ...body } = patch;
  const group = (v: unknown) => String(v).split("/")[0];
  return docs.map((doc) =>
    doc.kind === kind && (apiVersion === undefined || group(apiVersion) === group(doc.apiVersion))
      ? (mergePatch(doc, body) as Doc)
      : doc,
  );
}

/**
 * kubeadm's config API of a version: v1beta4 from 1.31, where kubeadm introduced it (1.37 removed
 * v1beta3, so 1.37 needs it); v1beta3 before, for node images older than 1.31 that a user names.
 */
export function kubeadmApiVersion(version: KubernetesVersion): string {
  return atLeast(version, 1, 31) ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
}

/** Extra arguments: v1beta4's list of name/value pairs, v1beta3's map. */
function args(version: KubernetesVersion, values: Record<string, string | undefined>): { name: string; value: string }[] | Record<string, string> {
  const given = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "");
  return atLeast(version, 1, 31) ? given.map(([name, value]) => ({ name, value })) : Object.fromEntries(given);
}

function joined(map: Record<string, string | boolean>): string | undefined {
  const entries = Object.keys(map).sort().map((key) => `${key}=${map[key]}`);
  return entries.length > 0 ? entries.join(",") : undefined;
}

function clusterConfiguration({ cluster, version, controlPlaneEndpoint, podSubnetsAssigned }: KubeadmConfigInput): Doc {
  const featureGates = joined(cluster.featureGates);
  return {
    apiVersion: kubeadmApiVersion(version),
    kind: "ClusterConfiguration",
    kubernetesVersion: version.text,
    clusterName: cluster.name,
    controlPlaneEndpoint,
    // The kubeconfig we hand out reaches the API server through a port published on the host, so the
    // serving certificate must also be valid for the host-side address.
    apiServer: {
      certSANs: ["localhost", "127.0.0.1", cluster.networking.apiServerAddress].filter((v, i, all) => all.indexOf(v) === i),
      extraArgs: args(version, { "runtime-config": joined(cluster.runtimeConfig), "feature-gates": featureGates }),
    },
    controllerManager: {
      extraArgs: args(version, {
        "feature-gates": featureGates,
        "enable-hostpath-provisioner": "true",
        // kubeadm turns node IPAM on for a pod subnet; it would hand out subnets of its own choosing.
        "allocate-node-cidrs": podSubnetsAssigned ? "false" : undefined,
      }),
    },
    scheduler: { extraArgs: args(version, { "feature-gates": featureGates }) },
    networking: { podSubnet: cluster.networking.podSubnet, serviceSubnet: cluster.networking.serviceSubnet },
  };
}

function nodeRegistration({ cluster, node, provider, version }: KubeadmConfigInput): Doc {
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    kubeletExtraArgs: args(version, {
      "node-ip": node.address,
      "provider-id": `kind://${provider}/${cluster.name}/${node.name}`,
      "node-labels": joined(node.labels),
    }),
  };
}

function initConfiguration(input: KubeadmConfigInput): Doc {
  return {
    apiVersion: kubeadmApiVersion(input.version),
    kind: "InitConfiguration",
    bootstrapTokens: [{ token: input.token }],
    localAPIEndpoint: { advertiseAddress: input.node.address, bindPort: API_SERVER_BIND_PORT },
    nodeRegistration: nodeRegistration(input),
    skipPhases: SKIP_PHASES,
  };
}

function joinConfiguration(input: KubeadmConfigInput): Doc {
  return {
    apiVersion: kubeadmApiVersion(input.version),
    kind: "JoinConfiguration",
    nodeRegistration: nodeRegistration(input),
    // The nodes share a private Docker network that the harness created; pinning the CA would need
    // a round trip to the control plane before every join for no gain in that setting (kind does the same).
    discovery: { bootstrapToken: { apiServerEndpoint: input.controlPlaneEndpoint, token: input.token, unsafeSkipCAVerification: true } },
    skipPhases: SKIP_PHASES,
  };
}

function kubeletConfiguration({ cluster, version, cgroupV1 }: KubeadmConfigInput): Doc {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: "systemd",
    // Each node's pods live below its own container's cgroup; the node image's entrypoint makes that
    // subtree look like the root, and /kubelet keeps the pods apart from the node's systemd services.
    cgroupRoot: "/kubelet",
    failSwapOn: false,
    // kubelet 1.31 added the switch and 1.35 turned the refusal on; without it the kubelet exits on v1 hosts.
    ...(cgroupV1 && atLeast(version, 1, 31) ? { failCgroupV1: false } : {}),
    // The kubelet sees the host's disk through the container and would evict pods to free space that is
    // not its own to manage.
    imageGCHighThresholdPercent: 100,
    evictionHard: { "nodefs.available": "0%", "nodefs.inodesFree": "0%", "imagefs.available": "0%" },
    ...(Object.keys(cluster.featureGates).length > 0 ? { featureGates: cluster.featureGates } : {}),
  };
}

function kubeProxyConfiguration({ cluster }: KubeadmConfigInput): Doc {
  return {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: cluster.networking.kubeProxyMode,
    iptables: { minSyncPeriod: "1s" },
    // nf_conntrack_max is global to the host kernel; a test cluster must not change it for everyone.
    conntrack: { maxPerCore: 0 },
    ...(Object.keys(cluster.featureGates).length > 0 ? { featureGates: cluster.featureGates } : {}),
  };
}
