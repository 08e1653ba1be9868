import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { untilSettled } from "../../harness/ground/settled-file.ts";

test("a fixture waits for the start to settle: nothing to wait for, written later, failed, never", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-settled-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await untilSettled(undefined);

  const later = join(dir, "later");
  let done = false;
  const waiting = untilSettled(later).then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(done, false, "not before the file is written");
  await writeFile(later, "");
  await waiting;

  const failed = join(dir, "failed");
  await writeFile(failed, 'the kind cluster did not start: "wait for images, CNI, DNS, storage and MetalLB" failed: ctr: unexpected EOF');
  await assert.rejects(untilSettled(failed), /the cluster's start did not finish: the kind cluster did not start: .*unexpected EOF/);

  await assert.rejects(untilSettled(join(dir, "never"), 500), /the cluster's start to finish .*not within/);
});
