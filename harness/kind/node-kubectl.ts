import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { StartedKindCluster } from "./cluster.ts";

/**
 * The node image carries the kubectl of its own Kubernetes version; `kubectl proxy` checks must use
 * that one, since kubectl supports only one minor version of skew.
 */
export async function copyNodeKubectl(cluster: StartedKindCluster, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const archive = await cluster.nodes[0]!.copyArchiveFromContainer("/usr/bin/kubectl");
  const tar = spawn("tar", ["-x", "-C", dir], { stdio: ["pipe", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve, reject) => tar.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tar exited ${code}`)))));
  await pipeline(archive, tar.stdin);
  await exited;
  return join(dir, "kubectl");
}
