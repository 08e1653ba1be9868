import { createServer, type Server } from "node:http";
import { request } from "undici";
import type { ApiPath } from "./api-paths.ts";

/**
 * An authenticating front, as the documentation suggests for browsers: it listens on loopback without
 * credentials and forwards every request to the API server with a bearer token added.
 */
export class AuthenticatingFront {
  readonly url: string;
  private readonly server: Server;

  private constructor(server: Server, url: string) {
    this.server = server;
    this.url = url;
  }

  static async start(upstream: ApiPath): Promise<AuthenticatingFront> {
    const server = createServer(async (incoming, outgoing) => {
      try {
        const headers = Object.fromEntries(Object.entries(incoming.headers).filter(([name]) => !["host", "connection"].includes(name))) as Record<string, string>;
        const answer = await request(`${upstream.base}${incoming.url}`, {
          method: incoming.method as "GET",
          headers: { ...headers, ...upstream.headers },
          body: incoming.method === "GET" || incoming.method === "HEAD" ? undefined : incoming,
          dispatcher: upstream.dispatcher,
        });
        const forwarded = Object.entries(answer.headers).filter(([name]) => !["connection", "transfer-encoding", "keep-alive"].includes(name));
        outgoing.writeHead(answer.statusCode, Object.fromEntries(forwarded) as Record<string, string>);
        for await (const chunk of answer.body) outgoing.write(chunk);
        outgoing.end();
      } catch (error) {
        outgoing.writeHead(502).end(`authenticating front: ${(error as Error).message}`);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new AuthenticatingFront(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
