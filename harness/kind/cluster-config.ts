import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { UsageError } from "../errors/usage-error.ts";

/**
 * The subset of kind's `kind.x-k8s.io/v1alpha4` Cluster format that this harness supports, with kind's
 * defaults applied. Anything else in the file is rejected by name, so that a config written for kind
 * never silently means something different here.
 */
export interface ClusterConfig {
  name: string;
  nodes: NodeConfig[];
  networking: Networking;
  featureGates: Record<string, boolean>;
  runtimeConfig: Record<string, string>;
  kubeadmConfigPatches: string[];
}

export type NodeRole = "control-plane" | "worker";

export interface NodeConfig {
  role: NodeRole;
  /** Unset means "the harness's node image" (flag, environment or default). */
  image?: string;
  labels: Record<string, string>;
  extraPortMappings: PortMapping[];
  kubeadmConfigPatches: string[];
}

export interface PortMapping {
  containerPort: number;
  /** 0 asks Docker for a free port. */
  hostPort: number;
  listenAddress: string;
  protocol: "TCP" | "UDP" | "SCTP";
}

export interface Networking {
  ipFamily: "ipv4";
  /** 0 asks Docker for a free port. */
  apiServerPort: number;
  apiServerAddress: string;
  podSubnet: string;
  serviceSubnet: string;
  disableDefaultCNI: boolean;
  kubeProxyMode: "iptables" | "nftables" | "ipvs" | "none";
}

const API_VERSION = "kind.x-k8s.io/v1alpha4";

// kind's own defaults (pkg/internal/apis/config/default.go), so a file means the same to both tools.
const DEFAULT_NETWORKING: Networking = {
  ipFamily: "ipv4",
  apiServerPort: 0,
  apiServerAddress: "127.0.0.1",
  podSubnet: "10.244.0.0/16",
  serviceSubnet: "10.96.0.0/16",
  disableDefaultCNI: false,
  kubeProxyMode: "iptables",
};

const CLUSTER_FIELDS = ["kind", "apiVersion", "name", "nodes", "networking", "featureGates", "runtimeConfig", "kubeadmConfigPatches"];
const NODE_FIELDS = ["role", "image", "labels", "extraPortMappings", "kubeadmConfigPatches"];
const PORT_FIELDS = ["containerPort", "hostPort", "listenAddress", "protocol"];
const NETWORKING_FIELDS = ["ipFamily", "apiServerPort", "apiServerAddress", "podSubnet", "serviceSubnet", "disableDefaultCNI", "kubeProxyMode"];

const FIX = "see the kind-config.yaml section of README.md for what is supported";

/** Reads and validates a kind cluster config file. Every problem is a UsageError naming the file and field. */
export function loadClusterConfig(path: string): ClusterConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`cannot read kind config ${path}`, "pass an existing file with --kind-config");
  }
  return parseClusterConfig(text, path);
}

export function parseClusterConfig(text: string, source: string): ClusterConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos ? ` at line ${first.linePos[0].line}` : "";
    // The library's message repeats the position and quotes the source; the first clause is the problem.
    const what = first.message.split(/ at line |\n/)[0];
    throw new UsageError(`${source} is not valid YAML${where}: ${what}`, "fix the YAML syntax");
  }
  const check = new FieldChecker(source);
  const raw = check.object(doc.toJS() ?? {}, "");
  check.known(raw, CLUSTER_FIELDS, "");
  if (raw.kind !== "Cluster") check.fail("kind", `must be "Cluster", not ${JSON.stringify(raw.kind)}`);
  if (raw.apiVersion !== API_VERSION) check.fail("apiVersion", `must be "${API_VERSION}", not ${JSON.stringify(raw.apiVersion)}`);

  const name = raw.name === undefined ? "kind" : check.string(raw.name, "name");
  // Docker and kubeadm both use the name; kind holds it to a DNS label for the same reason.
  if (!/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(name)) check.fail("name", "must be a lower-case DNS label of at most 40 characters");

  const nodes = raw.nodes === undefined
    ? [defaultNode("control-plane")]
    : check.array(raw.nodes, "nodes").map((node, i) => parseNode(check, node, `nodes[${i}]`));
  if (nodes.length === 0) check.fail("nodes", "must list at least one node");
  const controlPlanes = nodes.filter((n) => n.role === "control-plane").length;
  // Several control-plane nodes need kind's load balancer in front of them, which this harness does not start.
  if (controlPlanes !== 1) check.fail("nodes", `must have exactly one control-plane node (found ${controlPlanes})`);

  return {
    name,
    nodes,
    networking: parseNetworking(check, raw.networking),
    featureGates: check.record(raw.featureGates, "featureGates", "boolean") as Record<string, boolean>,
    runtimeConfig: check.record(raw.runtimeConfig, "runtimeConfig", "string") as Record<string, string>,
    kubeadmConfigPatches: check.patches(raw.kubeadmConfigPatches, "kubeadmConfigPatches"),
  };
}

function defaultNode(role: NodeRole): NodeConfig {
  return { role, labels: {}, extraPortMappings: [], kubeadmConfigPatches: [] };
}

function parseNode(check: FieldChecker, value: unknown, at: string): NodeConfig {
  const raw = check.object(value, at);
  check.known(raw, NODE_FIELDS, at);
  const role = raw.role ?? "control-plane";
  if (role !== "control-plane" && role !== "worker") check.fail(`${at}.role`, `must be "control-plane" or "worker", not ${JSON.stringify(role)}`);
  const node = defaultNode(role as NodeRole);
  if (raw.image !== undefined) node.image = check.string(raw.image, `${at}.image`);
  node.labels = check.record(raw.labels, `${at}.labels`, "string") as Record<string, string>;
  node.kubeadmConfigPatches = check.patches(raw.kubeadmConfigPatches, `${at}.kubeadmConfigPatches`);
  node.extraPortMappings = raw.extraPortMappings === undefined
    ? []
    : check.array(raw.extraPortMappings, `${at}.extraPortMappings`).map((m, i) => parsePortMapping(check, m, `${at}.extraPortMappings[${i}]`));
  return node;
}

function parsePortMapping(check: FieldChecker, value: unknown, at: string): PortMapping {
  const raw = check.object(value, at);
  check.known(raw, PORT_FIELDS, at);
  const protocol = raw.protocol ?? "TCP";
  if (!["TCP", "UDP", "SCTP"].includes(protocol as string)) check.fail(`${at}.protocol`, `must be TCP, UDP or SCTP, not ${JSON.stringify(protocol)}`);
  return {
    containerPort: check.port(raw.containerPort, `${at}.containerPort`, false),
    hostPort: raw.hostPort === undefined ? 0 : check.port(raw.hostPort, `${at}.hostPort`, true),
    listenAddress: raw.listenAddress === undefined ? "0.0.0.0" : check.string(raw.listenAddress, `${at}.listenAddress`),
    protocol: protocol as PortMapping["protocol"],
  };
}

function parseNetworking(check: FieldChecker, value: unknown): Networking {
  if (value === undefined) return { ...DEFAULT_NETWORKING };
  const raw = check.object(value, "networking");
  check.known(raw, NETWORKING_FIELDS, "networking");
  const net = { ...DEFAULT_NETWORKING };
  if (raw.ipFamily !== undefined && raw.ipFamily !== "ipv4") {
    check.fail("networking.ipFamily", `only "ipv4" is supported, not ${JSON.stringify(raw.ipFamily)}`);
  }
  if (raw.apiServerPort !== undefined) net.apiServerPort = check.port(raw.apiServerPort, "networking.apiServerPort", true);
  if (raw.apiServerAddress !== undefined) net.apiServerAddress = check.string(raw.apiServerAddress, "networking.apiServerAddress");
  if (raw.podSubnet !== undefined) net.podSubnet = check.cidr(raw.podSubnet, "networking.podSubnet");
  if (raw.serviceSubnet !== undefined) net.serviceSubnet = check.cidr(raw.serviceSubnet, "networking.serviceSubnet");
  if (raw.disableDefaultCNI !== undefined) net.disableDefaultCNI = check.boolean(raw.disableDefaultCNI, "networking.disableDefaultCNI");
  if (raw.kubeProxyMode !== undefined) {
    if (!["iptables", "nftables", "ipvs", "none"].includes(raw.kubeProxyMode as string)) {
      check.fail("networking.kubeProxyMode", `must be iptables, nftables, ipvs or none, not ${JSON.stringify(raw.kubeProxyMode)}`);
    }
    net.kubeProxyMode = raw.kubeProxyMode as Networking["kubeProxyMode"];
  }
  return net;
}

/** Type checks that turn every mismatch into one UsageError naming the file and the field path. */
class FieldChecker {
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  fail(field: string, problem: string): never {
    throw new UsageError(`${this.source}: field "${field}" ${problem}`, FIX);
  }

  known(raw: Record<string, unknown>, allowed: string[], at: string): void {
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) this.fail(at ? `${at}.${key}` : key, "is not supported by kube-access-conformance");
    }
  }

  object(value: unknown, at: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(at || "(top level)", "must be a mapping");
    return value as Record<string, unknown>;
  }

  array(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value)) this.fail(at, "must be a list");
    return value;
  }

  string(value: unknown, at: string): string {
    if (typeof value !== "string" || value === "") this.fail(at, "must be a non-empty string");
    return value;
  }

  boolean(value: unknown, at: string): boolean {
    if (typeof value !== "boolean") this.fail(at, "must be true or false");
    return value;
  }

  port(value: unknown, at: string, zeroAllowed: boolean): number {
    const min = zeroAllowed ? 0 : 1;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > 65535) this.fail(at, `must be a port number (${min}-65535)`);
    return value as number;
  }

  cidr(value: unknown, at: string): string {
    const text = this.string(value, at);
    if (!/^(\d{1,3})(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) this.fail(at, `must be an IPv4 CIDR such as 10.244.0.0/16, not ${JSON.stringify(text)}`);
    return text;
  }

  record(value: unknown, at: string, type: "string" | "boolean"): Record<string, string | boolean> {
    if (value === undefined) return {};
    const raw = this.object(value, at);
    for (const [key, entry] of Object.entries(raw)) {
      if (typeof entry !== type) this.fail(`${at}.${key}`, `must be a ${type}`);
    }
    return raw as Record<string, string | boolean>;
  }

  /** kind's patches are YAML documents in strings; each must parse and say which kind it patches. */
  patches(value: unknown, at: string): string[] {
    if (value === undefined) return [];
    return this.array(value, at).map((patch, i) => {
      const text = this.string(patch, `${at}[${i}]`);
      const doc = parseDocument(text);
      if (doc.errors.length > 0) this.fail(`${at}[${i}]`, `is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
      const parsed = doc.toJS();
      if (typeof parsed?.kind !== "string") this.fail(`${at}[${i}]`, "must name the kind it patches (e.g. kind: ClusterConfiguration)");
      return text;
    });
  }
}
