import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { countLabelled } from "../../harness/cleanup/docker-debris.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { runCli } from "../support/cli.ts";

test("a node image that is neither present nor pullable is one line, exit 2, and leaves nothing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kac-missing-image-"));
  try {
    const client = await connectDockerHost();
    const name = `missing${process.pid}`;
    const config = join(dir, "kind.yaml");
    await writeFile(config, `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: ${name}\n`);
    const result = await runCli(["run", "--kind-config", config, "--node-image", "kac.local/no-such-node:v0.0.0", "--report-dir", join(dir, "reports")]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: node image kac\.local\/no-such-node:v0\.0\.0 is not present and could not be pulled; .+$/m);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.deepEqual(await countLabelled(client, "io.kac.cluster", name), { containers: 0, networks: 0 });
    assert.deepEqual(await readdir(join(dir, "reports")), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
