import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cachedBuild, inputKey } from "../../harness/clients/build-cache.ts";

// The client snippets' cache: keyed by inputs, built once, never left half-built.

let cache: string;
before(async () => {
  cache = await mkdtemp(join(tmpdir(), "kac-cache-test-"));
  process.env.KAC_CACHE_DIR = cache;
});
after(() => rm(cache, { recursive: true, force: true }));

test("a key changes with any input", () => {
  assert.equal(inputKey(["a", Buffer.from("b")]), inputKey(["a", Buffer.from("b")]));
  assert.notEqual(inputKey(["a", "b"]), inputKey(["ab"]));
  assert.notEqual(inputKey(["go1.26", "x"]), inputKey(["go1.25", "x"]));
});

test("built once, then found; two builds at once leave one entry", async () => {
  let builds = 0;
  const build = async (dir: string) => {
    builds += 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(join(dir, "out"), "built");
  };
  const [first, second] = await Promise.all([cachedBuild("t", "k1", build), cachedBuild("t", "k1", build)]);
  assert.equal(first.dir, second.dir);
  assert.equal(await readFile(join(first.dir, "out"), "utf8"), "built");
  const again = await cachedBuild("t", "k1", build);
  assert.deepEqual([again.cached, builds], [true, 2]);
  assert.deepEqual(await readdir(join(cache, "clients")), ["t-k1"], "no temporary directory is left");
});

test("a failed build leaves nothing and is tried again next time", async () => {
  await assert.rejects(cachedBuild("t", "k2", async (dir) => {
    await writeFile(join(dir, "partial"), "half");
    throw new Error("compiler said no");
  }), /compiler said no/);
  assert.equal(existsSync(join(cache, "clients", "t-k2")), false);
  assert.deepEqual((await readdir(join(cache, "clients"))).filter((f) => f.includes("k2")), []);
  const retried = await cachedBuild("t", "k2", (dir) => writeFile(join(dir, "out"), "ok"));
  assert.equal(retried.cached, false);
});
