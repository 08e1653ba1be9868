import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
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

/** The Java snippet: Maven resolves the official client's classpath, javac compiles the one class. */
export async function javaClient(): Promise<ClientBuild> {
  const classes = join(CACHE, "java-classes");
  const classpathFile = join(CACHE, "java.classpath");
  try {
    await mkdir(classes, { recursive: true });
    await run("mvn", ["-q", "-B", "-f", join(CLIENTS, "java", "pom.xml"), "dependency:build-classpath", `-Dmdep.outputFile=${classpathFile}`], { timeout: 600_000 });
    const classpath = (await readFile(classpathFile, "utf8")).trim();
    await run("javac", ["-cp", classpath, "-d", classes, join(CLIENTS, "java", "ListPods.java")], { timeout: 300_000 });
    return { ok: true, command: ["java", "-cp", `${classes}:${classpath}`, "ListPods"] };
  } catch (error) {
    return { ok: false, reason: `the Java client could not be had here: Maven and a JDK are needed (${firstLine(error)})` };
  }
}

/**
 * Clients whose runtime this harness looks for but has no snippet of its own for yet: reported as
 * skip, naming what is missing.
 */
export async function unavailableClient(runtime: string, library: string): Promise<ClientBuild> {
  const found = await run("sh", ["-c", `command -v ${runtime}`]).then(() => true, () => false);
  return { ok: false, reason: found
    ? `${runtime} is installed, but this version of the harness has no ${library} snippet yet`
    : `no ${runtime} runtime on this machine (the documented client is ${library})` };
}

/** The JavaScript snippet runs on this very Node with the project's own @kubernetes/client-node. */
export function jsClient(): ClientBuild {
  return { ok: true, command: [process.execPath, join(CLIENTS, "js", "list-pods.mjs")] };
}

function firstLine(error: unknown): string {
  return String((error as Error).message).split("\n")[0]!;
}
