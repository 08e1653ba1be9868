/** The prefix of each node's pod subnet: the controller manager's default node CIDR mask for IPv4. */
const NODE_PREFIX = 24;

/**
 * Splits the cluster's pod subnet into one /24 per node, in the order given, as the controller
 * manager's node IPAM would in registration order: node i gets the i-th /24. Undefined when the
 * subnet has too few /24s for the nodes (a /25 or smaller, or a /23 for three nodes).
 */
export function nodePodSubnets(podSubnet: string, nodes: number): string[] | undefined {
  const [address, prefixText] = podSubnet.split("/");
  const prefix = Number(prefixText);
  const octets = address!.split(".").map(Number);
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255)) || !(prefix >= 0 && prefix <= NODE_PREFIX)) return undefined;
  if (nodes > 2 ** (NODE_PREFIX - prefix)) return undefined;
  const base = octets.reduce((value, octet) => value * 256 + octet, 0);
  // The network address of the subnet: host bits cleared, as the controller manager reads it.
  const network = base - (base % 2 ** (32 - prefix));
  return Array.from({ length: nodes }, (_, i) => `${dotted(network + i * 2 ** (32 - NODE_PREFIX))}/${NODE_PREFIX}`);
}

function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
