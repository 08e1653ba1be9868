import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { LABEL_TESTCONTAINERS_RYUK } from "testcontainers/build/utils/labels.js";
import { labelFilters } from "../../harness/cleanup/docker-debris.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import { OwnClusterRun } from "../support/own-cluster-run.ts";

// Offline, an image that is neither present nor pullable must stop the run before anything of it exists.

test("a node image that is neither present nor pullable is one line, exit 2, and leaves nothing", async () => {
  const run = await OwnClusterRun.start("missing", ["--node-image", "kac.local/no-such-node:v0.0.0"]);
  try {
    const result = await run.done;
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: node image kac\.local\/no-such-node:v0\.0\.0 is not present and could not be pulled; .+$/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(await run.leftInDocker(), { containers: 0, networks: 0 });
    assert.deepEqual(await readdir(join(run.dir, "reports")), []);
  } finally {
    await run.dispose();
  }
});

/** Testcontainers reuses a reaper still running (one lingers 10 s after its last client) and then needs no image. */
async function noReaperRunning(): Promise<void> {
  const dockerode = (await connectDockerHost()).container.dockerode;
  await waitFor("reapers of earlier runs gone", async () => ((await dockerode.listContainers({ filters: labelFilters(LABEL_TESTCONTAINERS_RYUK, "true") })).length === 0 ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 1000, lastSeen: () => "a reaper of an earlier run is still running" });
}

test("a reaper image that is neither present nor pullable is one line, exit 2, and leaves nothing", async () => {
  await noReaperRunning();
  const run = await OwnClusterRun.start("noreaper", [], { TESTCONTAINERS_RYUK_DISABLED: "false", RYUK_CONTAINER_IMAGE: "kac.local/no-such-ryuk:0.0.0" });
  try {
    const result = await run.done;
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: Testcontainers' reaper \(kac\.local\/no-such-ryuk:0\.0\.0\) did not start: .+; offline, build it with npm run images; .+$/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(await run.leftInDocker(), { containers: 0, networks: 0 });
    assert.deepEqual(await readdir(join(run.dir, "reports")), []);
  } finally {
    await run.dispose();
  }
});
