import { execFileSync } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PROJECT_ROOT } from "./cli.ts";

const FAULTY_KUBECTL = join(PROJECT_ROOT, "test", "faulty-proxies", "faulty-kubectl", "kubectl");
const FAULTY_CURL = join(PROJECT_ROOT, "test", "faulty-proxies", "faulty-curl", "curl");

/** A shell-quoted word. */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * A directory of launchers, `kubectl` and (with curl faults) `curl`, that start the faulty tools with
 * their faults and the real tools' paths baked in: given as KAC_KUBECTL, the harness runs this kubectl,
 * and the documented shell pipelines find both on their PATH, even where a check clears the
 * environment (KC-05). Returns the kubectl launcher's path.
 */
export async function faultyTools(dir: string, realKubectl: string, faults: { kubectl?: string; curl?: string }): Promise<string> {
  await mkdir(dir, { recursive: true });
  const launcher = async (name: string, env: Record<string, string>, target: string) => {
    const assignments = Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`).join(" ");
    await writeFile(join(dir, name), `#!/bin/sh\n${assignments} exec ${quote(target)} "$@"\n`);
    await chmod(join(dir, name), 0o755);
  };
  await launcher("kubectl", { KAC_REAL_KUBECTL: realKubectl, KAC_KUBECTL_FAULTS: faults.kubectl ?? "" }, FAULTY_KUBECTL);
  if (faults.curl) {
    const realCurl = execFileSync("sh", ["-c", "command -v curl"], { encoding: "utf8" }).trim();
    await launcher("curl", { KAC_REAL_CURL: realCurl, KAC_CURL_FAULTS: faults.curl }, FAULTY_CURL);
  }
  return join(dir, "kubectl");
}
