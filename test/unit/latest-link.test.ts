import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { UsageError } from "../../harness/errors/usage-error.ts";
import { pointLatest } from "../../harness/report/latest-link.ts";

// reports/latest is replaced whatever a user left there, and the run's own report is never lost.

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "kac-latest-"));
});
after(() => rm(root, { recursive: true, force: true }));

async function reportsWith(latest: (path: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(join(root, "reports-"));
  await mkdir(join(dir, "run-2"));
  await writeFile(join(dir, "run-2", "report.json"), "{}");
  await latest(join(dir, "latest"));
  return dir;
}

test("nothing there, an old link, a file: latest becomes a link to the run", async () => {
  const setups: ((path: string) => Promise<void>)[] = [
    async () => {},
    async (path) => void await (await import("node:fs/promises")).symlink("run-1", path),
    (path) => writeFile(path, "a note someone kept"),
  ];
  for (const setup of setups) {
    const dir = await reportsWith(setup);
    assert.equal(await pointLatest(dir, "run-2"), undefined);
    assert.equal(await readlink(join(dir, "latest")), "run-2");
    assert.equal(await readFile(join(dir, "latest", "report.json"), "utf8"), "{}");
  }
});

test("a real directory (a copied report) is moved aside, not deleted", async () => {
  const dir = await reportsWith(async (path) => {
    await mkdir(path);
    await writeFile(join(path, "report.json"), "copied");
  });
  const moved = await pointLatest(dir, "run-2");
  assert.equal(moved, join(dir, "latest.moved-run-2"));
  assert.equal(await readFile(join(moved!, "report.json"), "utf8"), "copied");
  assert.equal(await readlink(join(dir, "latest")), "run-2");
});

test("what cannot be replaced is one line naming it; the run's report stays", async () => {
  const dir = await reportsWith(async (path) => {
    await mkdir(path);
    await writeFile(join(path, "report.json"), "copied");
  });
  // The place to move the directory to is taken by a non-empty directory: rename refuses.
  await mkdir(join(dir, "latest.moved-run-2"));
  await writeFile(join(dir, "latest.moved-run-2", "x"), "");
  const error = await pointLatest(dir, "run-2").then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof UsageError, String(error));
  assert.match(error.line(), /^error: the report is in .*run-2, but .*latest could not be pointed at it \(\w+\); remove .*latest or make .* writable$/);
  assert.doesNotMatch(error.line(), /\n/);
  assert.equal(await readFile(join(dir, "run-2", "report.json"), "utf8"), "{}");
});
