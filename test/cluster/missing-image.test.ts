import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { countLabelled } from "../../harness/cleanup/docker-debris.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { RUN_LABEL } from "../../harness/run/labels.ts";
import { runCli } from "../support/cli.ts";

test("a node image that is neither present nor pullable is one line, exit 2, and leaves nothing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kac-missing-image-"));
  try {
    const client = await connectDockerHost();
    const before = await countLabelled(client, RUN_LABEL);
    const result = await runCli(["run", "--node-image", "kac.local/no-such-node:v0.0.0", "--report-dir", join(dir, "reports")]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: node image kac\.local\/no-such-node:v0\.0\.0 is not present and could not be pulled; .+$/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(await countLabelled(client, RUN_LABEL), before);
    assert.deepEqual(await readdir(join(dir, "reports")), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
