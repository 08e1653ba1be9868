import { createServer } from "node:net";

/** A TCP port that was free a moment ago on the given loopback address (for checks that need a fixed --port). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether the host has an IPv6 loopback to listen on. */
export function hasIpv6Loopback(): Promise<boolean> {
  return freePort("::1").then(() => true, () => false);
}
