import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLIENT_SNIPPETS_DIR } from "../paths.ts";
import { cachedBuild, inputKey } from "./build-cache.ts";
import { buildStep, canRun } from "./build-step.ts";
import type { ClientBuild } from "../ground/prepared-clients.ts";

const SOURCE = join(CLIENT_SNIPPETS_DIR, "java");
/** A cold Maven repository downloads the client and its dependencies (a few dozen jars). */
const RESOLVE_TIMEOUT_MS = 15 * 60_000;

/**
 * The Java snippet: Maven copies the official client's jars into the cache entry (so the entry does not
 * depend on a Maven repository that may be emptied), javac compiles the one class.
 */
export async function buildJavaClient(signal?: AbortSignal): Promise<ClientBuild> {
  for (const tool of ["mvn", "javac", "java"]) {
    if (!await canRun(tool, ["-version"])) {
      return { state: "no-toolchain", toolchain: tool, reason: `no ${tool} on this machine: CL-JAVA needs a JDK and Maven for the official Java client` };
    }
  }
  const javac = await buildStep("javac", ["-version"], { timeoutMs: 30_000, signal });
  const sources = await Promise.all(["pom.xml", "ListPods.java"].map((f) => readFile(join(SOURCE, f))));
  const { dir, cached } = await cachedBuild("java", inputKey([javac, ...sources]), async (out) => {
    await buildStep("mvn", ["-q", "-B", "-f", join(SOURCE, "pom.xml"), "dependency:copy-dependencies", `-DoutputDirectory=${join(out, "lib")}`, "-DincludeScope=runtime"], { timeoutMs: RESOLVE_TIMEOUT_MS, signal });
    await buildStep("javac", ["-cp", join(out, "lib", "*"), "-d", join(out, "classes"), join(SOURCE, "ListPods.java")], { timeoutMs: 300_000, signal });
  });
  return { state: "ready", command: ["java", "-cp", `${join(dir, "classes")}:${join(dir, "lib", "*")}`, "ListPods"], cached };
}
