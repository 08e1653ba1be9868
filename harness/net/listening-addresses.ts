import { readFile } from "node:fs/promises";

/**
 * The local addresses on which something listens on a TCP port, read from the kernel's socket tables
 * (/proc/net/tcp and tcp6) rather than by connecting: a listener on 0.0.0.0 answers on loopback too,
 * so only the table tells loopback-only from every interface.
 */
export async function listeningAddresses(port: number): Promise<string[]> {
  const addresses: string[] = [];
  for (const [file, decode] of [["/proc/net/tcp", ipv4], ["/proc/net/tcp6", ipv6]] as const) {
    const table = await readFile(file, "utf8").catch(() => "");
    for (const line of table.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== "0A") continue; // 0A: LISTEN
      const [hexAddress, hexPort] = local.split(":");
      if (parseInt(hexPort!, 16) === port) addresses.push(decode(hexAddress!));
    }
  }
  return addresses;
}

export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");
}

/** /proc/net/tcp writes an IPv4 address as one little-endian 32-bit hex number. */
function ipv4(hex: string): string {
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
}

/** /proc/net/tcp6 writes four little-endian 32-bit words. */
function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) for (const i of [3, 2, 1, 0]) bytes.push(parseInt(hex.slice(word * 8 + i * 2, word * 8 + i * 2 + 2), 16));
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join(".")}`;
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::").replace(/^0::/, "::");
}
