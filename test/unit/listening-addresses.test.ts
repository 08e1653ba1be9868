import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { test } from "node:test";
import { isLoopback, listeningAddresses } from "../../harness/net/listening-addresses.ts";

// PX-10 reads the kernel's socket table: a listener's own address, IPv4 or IPv6, loopback or not.

async function listening(host: string | undefined): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => (host ? server.listen(0, host, resolve) : server.listen(0, resolve)));
  return { server, port: (server.address() as { port: number }).port };
}

test("a loopback listener is read as loopback, one on every interface as not", async () => {
  for (const [host, expected, loopback] of [["127.0.0.1", "127.0.0.1", true], ["0.0.0.0", "0.0.0.0", false]] as const) {
    const { server, port } = await listening(host);
    try {
      const addresses = await listeningAddresses(port);
      assert.deepEqual(addresses, [expected], `listening on ${host ?? "(any)"}`);
      assert.equal(addresses.every(isLoopback), loopback);
    } finally {
      server.close();
    }
  }
});

test("IPv6 loopback, where the host has it", async (t) => {
  const { server, port } = await listening("::1").catch(() => ({ server: undefined, port: 0 }));
  if (!server) return t.skip("no IPv6 loopback on this host");
  try {
    assert.deepEqual(await listeningAddresses(port), ["::1"]);
    assert.ok(isLoopback("::1"));
  } finally {
    server.close();
  }
});
