import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** The harness's cache, shared with the offline image build: KAC_CACHE_DIR, else ~/.cache/kube-access-conformance. */
export function cacheRoot(): string {
  return process.env.KAC_CACHE_DIR || join(homedir(), ".cache", "kube-access-conformance");
}

/** A short digest of everything a build depends on: a change to any input is a new cache entry. */
export function inputKey(inputs: readonly (string | Buffer)[]): string {
  const hash = createHash("sha256");
  for (const input of inputs) hash.update(input).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * The directory holding the build `name-key`, built first where it is not there. A build writes into a
 * private temporary directory that is renamed into place only once complete, so an interrupted build,
 * or two runs building at once, never leave a half-built entry behind; a failed build leaves nothing.
 */
export async function cachedBuild(name: string, key: string, build: (dir: string) => Promise<void>): Promise<{ dir: string; cached: boolean }> {
  const parent = join(cacheRoot(), "clients");
  const dir = join(parent, `${name}-${key}`);
  if (existsSync(dir)) return { dir, cached: true };
  await mkdir(parent, { recursive: true });
  // mkdtemp: two builds of one key, even in one process and one millisecond, get distinct directories.
  const building = await mkdtemp(join(parent, `.${name}-${key}.building-`));
  try {
    await build(building);
    await rename(building, dir).catch((error: NodeJS.ErrnoException) => {
      // Another run finished the same build first: its entry is as good as ours.
      if (!existsSync(dir)) throw error;
    });
    return { dir, cached: false };
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}
