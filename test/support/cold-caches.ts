import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Empty Go, pip and Maven caches and an empty harness cache, as on a machine that never ran the
 * project: a run under this environment builds every client snippet from nothing, so a check that only
 * passes on a warm cache fails here, in CI, rather than on a user's first run.
 */
export async function coldCaches(): Promise<{ env: NodeJS.ProcessEnv; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "kac-cold-"));
  const env = {
    KAC_CACHE_DIR: join(dir, "kac"),
    GOCACHE: join(dir, "go-build"),
    GOMODCACHE: join(dir, "go-mod"),
    PIP_CACHE_DIR: join(dir, "pip"),
    MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ""} -Dmaven.repo.local=${join(dir, "m2")}`.trim(),
  };
  return { env, remove: () => rm(dir, { recursive: true, force: true }) };
}
