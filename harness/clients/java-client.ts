import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CLIENT_SNIPPETS_DIR } from "../paths.ts";
import { cachedBuild, inputKey } from "./build-cache.ts";
import { buildStep, canRun } from "./build-step.ts";
import type { AsDocumentedBuild, ClientBuild } from "../ground/prepared-clients.ts";

const SOURCE = join(CLIENT_SNIPPETS_DIR, "java");
/** The access-cluster-api page's Java snippet, verbatim (its class is in package io.kubernetes.client.examples). */
const PAGE_SNIPPET = join(SOURCE, "page", "KubeConfigFileClientExample.java");
const PAGE_CLASS = "io.kubernetes.client.examples.KubeConfigFileClientExample";
/** A cold Maven repository downloads the client and its dependencies (a few dozen jars). */
const RESOLVE_TIMEOUT_MS = 15 * 60_000;
/** How much of javac's output the drift's evidence keeps: its beginning, where the first errors are. */
const EXCERPT_CHARS = 1500;

/**
 * The Java snippet: Maven copies the official client's jars into the cache entry (so the entry does not
 * depend on a Maven repository that may be emptied), javac compiles the one class, and the page's own
 * snippet as written, whose outcome is kept in the entry for CL-JAVA's drift note.
 */
export async function buildJavaClient(signal?: AbortSignal): Promise<ClientBuild> {
  for (const tool of ["mvn", "javac", "java"]) {
    if (!await canRun(tool, ["-version"])) {
      return { state: "no-toolchain", toolchain: tool, reason: `no ${tool} on this machine: CL-JAVA needs a JDK and Maven for the official Java client` };
    }
  }
  const javac = await buildStep("javac", ["-version"], { timeoutMs: 30_000, signal });
  const sources = await Promise.all([join(SOURCE, "pom.xml"), join(SOURCE, "ListPods.java"), PAGE_SNIPPET].map((f) => readFile(f)));
  const clientVersion = sources[0]!.toString().match(/<artifactId>client-java<\/artifactId>\s*<version>([^<]+)<\/version>/)?.[1] ?? "?";
  const { dir, cached } = await cachedBuild("java", inputKey([javac, ...sources]), async (out) => {
    await buildStep("mvn", ["-q", "-B", "-f", join(SOURCE, "pom.xml"), "dependency:copy-dependencies", `-DoutputDirectory=${join(out, "lib")}`, "-DincludeScope=runtime"], { timeoutMs: RESOLVE_TIMEOUT_MS, signal });
    await buildStep("javac", ["-cp", join(out, "lib", "*"), "-d", join(out, "classes"), join(SOURCE, "ListPods.java")], { timeoutMs: 300_000, signal });
    await writeFile(join(out, PAGE_SNIPPET_OUTCOME), JSON.stringify(await compilePageSnippet(out, signal)));
  });
  const classpath = (classes: string) => `${join(dir, classes)}:${join(dir, "lib", "*")}`;
  const compiled = JSON.parse(await readFile(join(dir, PAGE_SNIPPET_OUTCOME), "utf8")) as CompiledPageSnippet;
  const evidence = { request: `javac -cp client-java-${clientVersion}/* KubeConfigFileClientExample.java   # the page's snippet as written`, status: `exit ${compiled.exitCode}`, excerpt: compiled.output.slice(0, EXCERPT_CHARS), durationMs: compiled.durationMs };
  const asDocumented: AsDocumentedBuild = compiled.exitCode === 0
    ? { builds: true, summary: `it compiles against client-java ${clientVersion}`, evidence, command: ["java", "-cp", classpath("page-classes"), PAGE_CLASS] }
    : { builds: false, summary: `against client-java ${clientVersion}, ${summarizeErrors(compiled.output)}`, evidence };
  return { state: "ready", command: ["java", "-cp", classpath("classes"), "ListPods"], cached, asDocumented };
}

/** What javac said of the page's snippet, kept in the cache entry: the sentence is made when it is read. */
const PAGE_SNIPPET_OUTCOME = "page-snippet.json";
interface CompiledPageSnippet {
  exitCode: number | string;
  output: string;
  durationMs: number;
}

/** javac on the page's snippet as written; a failure is the outcome to record, not a failed build. */
function compilePageSnippet(out: string, signal?: AbortSignal): Promise<CompiledPageSnippet> {
  const args = ["-encoding", "UTF-8", "-cp", join(out, "lib", "*"), "-d", join(out, "page-classes"), PAGE_SNIPPET];
  const begin = Date.now();
  return new Promise((resolve) => {
    execFile("javac", args, { timeout: 300_000, signal, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? (error.code ?? "error") : 0, output: `${stderr}${stdout}`.trim(), durationMs: Date.now() - begin });
    });
  });
}

/** "12 errors; the imports io.kubernetes.client.ApiClient, … name nothing in the current client": what a reader acts on. */
export function summarizeErrors(javacOutput: string): string {
  const lines = javacOutput.split("\n");
  const imports = new Set<string>();
  lines.forEach((line, i) => {
    const source = /: error: /.test(line) ? lines[i + 1]?.trim().match(/^import\s+([\w.]+);$/) : undefined;
    if (source) imports.add(source[1]!);
  });
  const count = javacOutput.match(/^(\d+) errors?$/m)?.[1] ?? "its";
  return `${count} compile error${count === "1" ? "" : "s"}; ${imports.size ? `the imports ${[...imports].join(", ")} name nothing in the current client (its API classes moved to io.kubernetes.client.openapi)` : "see the compiler's output"}`;
}
