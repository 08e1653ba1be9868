import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { RunContext } from "../../harness/ground/run-context.ts";

/** What an impostor answers: API-shaped data no proxy may ever pass on. */
export const IMPOSTOR_DATA = "IMPOSTOR-DATA";

/**
 * How the impostor's certificate is wrong:
 * - untrusted: self-signed, so it does not chain to the kubeconfig's CA;
 * - wrong-host: signed by a CA the kubeconfig trusts, but for another host name.
 */
export type ImpostorKind = "untrusted" | "wrong-host";

export interface Impostor {
  /** The run's kubeconfig, pointed at the impostor (its credentials unchanged, its CA as the kind needs). */
  kubeconfig: string;
  close(): void;
}

/**
 * A TLS endpoint posing as the API server, and a kubeconfig pointing at it: a proxy that verifies the
 * upstream certificate must answer an error, never the impostor's data (KP-05, PX-04).
 */
export async function startImpostor(run: RunContext, dir: string, kind: ImpostorKind): Promise<Impostor> {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  let caData: string | undefined;
  if (kind === "untrusted") {
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem");
  } else {
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=kac impostor CA", "-keyout", "ca-key.pem", "-out", "ca.pem");
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=wrong.example", "-keyout", "key.pem", "-out", "cert.csr");
    await writeFile(join(dir, "san.ext"), "subjectAltName=DNS:wrong.example\n");
    ssl("x509", "-req", "-in", "cert.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "cert.pem");
    caData = (await readFile(join(dir, "ca.pem"))).toString("base64");
  }
  const server: Server = createServer({ key: await readFile(join(dir, "key.pem")), cert: await readFile(join(dir, "cert.pem")) }, (_, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(`{"kind":"APIVersions","versions":["v1"],"impostor":"${IMPOSTOR_DATA}"}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = parse(await readFile(run.kubeconfigPath, "utf8"));
  for (const { cluster } of kubeconfig.clusters) {
    cluster.server = `https://127.0.0.1:${port}`;
    if (caData) {
      delete cluster["certificate-authority"];
      cluster["certificate-authority-data"] = caData;
    }
  }
  const path = join(dir, `kubeconfig-${kind}`);
  await writeFile(path, stringify(kubeconfig), { mode: 0o600 });
  return { kubeconfig: path, close: () => void server.close() };
}
