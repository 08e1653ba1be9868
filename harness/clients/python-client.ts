import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLIENT_SNIPPETS_DIR } from "../paths.ts";
import { cachedBuild, inputKey } from "./build-cache.ts";
import { buildStep, canRun } from "./build-step.ts";
import type { ClientBuild } from "../ground/prepared-clients.ts";

/** The official Python client (PyPI `kubernetes`) the snippet runs with. */
export const PYTHON_CLIENT = "kubernetes==37.0.2";
const SNIPPET = join(CLIENT_SNIPPETS_DIR, "python", "list_pods.py");
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** The Python snippet's virtual environment with the official client, once per client and Python version. */
export async function buildPythonClient(signal?: AbortSignal): Promise<ClientBuild> {
  if (!await canRun("python3", ["-c", "import venv, ensurepip"])) {
    return { state: "no-toolchain", toolchain: "python3 (with venv and ensurepip)", reason: "no Python 3 with the venv module on this machine (Debian: python3-venv): CL-PY installs the official client into a virtual environment" };
  }
  const version = await buildStep("python3", ["--version"], { timeoutMs: 30_000, signal });
  const { dir, cached } = await cachedBuild("python", inputKey([version, PYTHON_CLIENT]), async (out) => {
    const venv = join(out, "venv");
    await buildStep("python3", ["-m", "venv", venv], { timeoutMs: 120_000, signal });
    // Through the venv's python, not its pip script: the script's shebang names the temporary path.
    await buildStep(join(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", PYTHON_CLIENT], { timeoutMs: INSTALL_TIMEOUT_MS, signal });
  });
  // The venv's interpreter finds its packages relative to itself, so the renamed entry works.
  await readFile(join(dir, "venv", "pyvenv.cfg"));
  return { state: "ready", command: [join(dir, "venv", "bin", "python"), SNIPPET], cached };
}
