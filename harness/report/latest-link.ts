import { lstat, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors/usage-error.ts";

/**
 * Points `<reportRoot>/latest` at the newest run, so links and scripts need not know run IDs. Whatever
 * is there is replaced: a link or a file at once (a new link renamed over it); a real directory (a
 * copied report, say) is moved aside to `latest.moved-<runId>`, never deleted, and the caller is told.
 * What cannot be replaced is one line saying what is in the way; the run's own report is untouched.
 */
export async function pointLatest(reportRoot: string, runId: string): Promise<string | undefined> {
  const latest = join(reportRoot, "latest");
  let movedAside: string | undefined;
  try {
    const existing = await lstat(latest).catch(() => undefined);
    if (existing?.isDirectory()) {
      movedAside = join(reportRoot, `latest.moved-${runId}`);
      await rename(latest, movedAside);
    }
    const fresh = join(reportRoot, `.latest-${runId}`);
    await rm(fresh, { force: true });
    await symlink(runId, fresh);
    await rename(fresh, latest);
  } catch (error) {
    throw new UsageError(`the report is in ${join(reportRoot, runId)}, but ${latest} could not be pointed at it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, `remove ${latest} or make ${reportRoot} writable`);
  }
  return movedAside;
}
