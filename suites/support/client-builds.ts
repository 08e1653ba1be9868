import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const CACHE = join(process.env.KAC_CACHE_DIR || join(homedir(), ".cache", "kube-access-conformance"), "clients");
const CLIENTS = fileURLToPath(new URL("../clients/", import.meta.url));

/** The Python client version the CL-PY check installs (PyPI `kubernetes`). */
const PYTHON_CLIENT = "kubernetes==37.0.2";

/** A built client, or why it cannot be had on this machine (the check then reports skip). */
export type ClientBuild = { ok: true; command: string[] } | { ok: false; reason: string };

/** The Go snippet, built with client-go once per source change (Go's build cache makes rebuilds cheap). */
export async function goClient(): Promise<ClientBuild> {
  const go = ["/usr/local/go/bin/go", "go"].find((g) => g === "go" || existsSync(g))!;
  const binary = join(CACHE, "go-list-pods");
  try {
    await mkdir(CACHE, { recursive: true });
    await run(go, ["build", "-o", binary, "."], { cwd: join(CLIENTS, "go"), env: { ...process.env, CGO_ENABLED: "0" }, timeout: 600_000 });
    return { ok: true, command: [binary] };
  } catch (error) {
    return { ok: false, reason: `the Go client could not be built here (${firstLine(error)})` };
  }
}

/** The Python snippet in a virtual environment with the official client from PyPI. */
export async function pythonClient(): Promise<ClientBuild> {
  const venv = join(CACHE, `python-${PYTHON_CLIENT.replace("==", "-")}`);
  const python = join(venv, "bin", "python");
  try {
    if (!existsSync(python)) {
      await run("python3", ["-m", "venv", venv]);
      await run(join(venv, "bin", "pip"), ["install", "--quiet", PYTHON_CLIENT], { timeout: 300_000 });
    }
    return { ok: true, command: [python, join(CLIENTS, "python", "list_pods.py")] };
  } catch (error) {
    return { ok: false, reason: `the Python client could not be installed here (${firstLine(error)})` };
  }
}

/** The JavaScript snippet runs on this very Node with the project's own @kubernetes/client-node. */
export function jsClient(): ClientBuild {
  return { ok: true, command: [process.execPath, join(CLIENTS, "js", "list-pods.mjs")] };
}

function firstLine(error: unknown): string {
  return String((error as Error).message).split("\n")[0]!;
}
