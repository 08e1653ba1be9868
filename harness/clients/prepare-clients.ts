import type { Progress } from "../log/progress.ts";
import { seconds } from "../log/progress.ts";
import { BuildStepError } from "./build-step.ts";
import type { ClientBuild, ClientName, PreparedClient, PreparedClients } from "../ground/prepared-clients.ts";
import { buildGoClient } from "./go-client.ts";
import { buildJavaClient } from "./java-client.ts";
import { buildPythonClient } from "./python-client.ts";

const BUILDERS: Record<ClientName, (signal?: AbortSignal) => Promise<ClientBuild>> = {
  go: buildGoClient,
  python: buildPythonClient,
  java: buildJavaClient,
};

/** What a cold build costs, so a first run's wait is explained rather than silent. */
const COLD_NOTE: Record<ClientName, string> = {
  go: "compiles client-go; minutes with a cold Go build cache",
  python: "installs the kubernetes package from PyPI into a virtual environment",
  java: "resolves the Java client's jars with Maven",
};

/**
 * Makes the client snippets ready before any check runs (in parallel with each other and with the
 * cluster start), from the cache where it has them. Never throws for a build that fails: that is a
 * result the checks report, with the build's output as evidence.
 */
export async function prepareClients(names: readonly ClientName[], progress: Progress, signal?: AbortSignal): Promise<PreparedClients> {
  if (names.length) progress.info(`preparing client snippets: ${names.map((n) => `${n} (${COLD_NOTE[n]})`).join(", ")}`);
  const prepared = await Promise.all(names.map(async (name): Promise<[ClientName, PreparedClient]> => {
    const begin = Date.now();
    const build = await BUILDERS[name](signal).catch((error: unknown): ClientBuild => ({
      state: "failed",
      reason: `the ${name} client snippet could not be built: ${(error as Error).message}`,
      evidence: error instanceof BuildStepError ? error.evidence : { request: `prepare the ${name} client`, status: "error", excerpt: String((error as Error).message), durationMs: Date.now() - begin },
    }));
    const preparedMs = Date.now() - begin;
    // Stopped on the way out (bad input, an interrupt): not a result worth a line.
    if (!signal?.aborted) progress.info(`client ${name}: ${describe(build, name)} (${seconds(preparedMs)})`);
    return [name, { ...build, preparedMs }];
  }));
  return Object.fromEntries(prepared);
}

function describe(build: ClientBuild, name: ClientName): string {
  switch (build.state) {
    case "ready": return build.cached ? "ready from the cache" : "built and cached";
    case "no-toolchain": return `no toolchain (${build.toolchain}): the checks that need the ${name} client will skip`;
    case "failed": return `FAILED: ${build.reason}`;
  }
}
