import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLIENT_SNIPPETS_DIR } from "../paths.ts";
import { cachedBuild, inputKey } from "./build-cache.ts";
import { buildStep, canRun } from "./build-step.ts";
import type { ClientBuild } from "../ground/prepared-clients.ts";

const SOURCE = join(CLIENT_SNIPPETS_DIR, "go");
/** Where Debian-style machines and Go's own installer put the toolchain when it is not on PATH. */
const GO_CANDIDATES = ["go", "/usr/local/go/bin/go"];
/** A cold Go build cache compiles client-go from scratch: minutes on two cores. */
const BUILD_TIMEOUT_MS = 20 * 60_000;

/** The Go snippet (client-go), built once per change of its sources or of the Go version. */
export async function buildGoClient(signal?: AbortSignal): Promise<ClientBuild> {
  let go: string | undefined;
  for (const candidate of GO_CANDIDATES) if (!go && await canRun(candidate, ["version"])) go = candidate;
  if (!go) return { state: "no-toolchain", toolchain: "go", reason: "no Go toolchain on this machine (go on PATH or /usr/local/go/bin/go): CL-GO builds the snippet with client-go" };
  const version = await buildStep(go, ["env", "GOVERSION"], { timeoutMs: 30_000, signal });
  const sources = await Promise.all(["go.mod", "go.sum", "main.go"].map((f) => readFile(join(SOURCE, f))));
  const { dir, cached } = await cachedBuild("go", inputKey([version, ...sources]), (out) =>
    buildStep(go, ["build", "-trimpath", "-o", join(out, "list-pods"), "."], {
      cwd: SOURCE,
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: `${process.env.GOFLAGS ?? ""} -modcacherw`.trim() },
      timeoutMs: BUILD_TIMEOUT_MS,
      signal,
    }).then(() => undefined));
  return { state: "ready", command: [join(dir, "list-pods")], cached };
}
