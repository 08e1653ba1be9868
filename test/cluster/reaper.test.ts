import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { countLabelled, removeLabelled } from "../../harness/cleanup/docker-debris.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { startCli } from "../support/cli.ts";

// The harness cleans up after itself on every exit it sees; SIGKILL it cannot see. There Testcontainers'
// reaper is the safety net: it removes the session's node containers and network once the killed
// process's connection to it is gone. Where the reaper's image cannot be had (an offline machine), the
// run must instead stop in one line, exit 2, and leave nothing.

test("with the reaper on: a SIGKILLed cluster start is removed by the reaper, or the missing reaper is one line", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-reaper-"));
  const name = `reaper${process.pid}`;
  const config = join(dir, "kind.yaml");
  await writeFile(config, `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: ${name}\nnodes: [{ role: control-plane }, { role: worker }]\n`);
  const client = await connectDockerHost();
  const cli = startCli(["run", "--kind-config", config, "--report-dir", join(dir, "reports")], { TESTCONTAINERS_RYUK_DISABLED: "false" });
  let exited = false;
  void cli.done.then(() => (exited = true));
  try {
    const deadline = Date.now() + 120_000;
    while (!exited && (await countLabelled(client, "io.kac.cluster", name)).containers < 2) {
      assert.ok(Date.now() < deadline, `no node containers appeared:\n${cli.output()}`);
      await sleep(250);
    }
    if (exited) {
      const result = await cli.done;
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^error: Testcontainers' reaper did not start: .+; make its image available, or set TESTCONTAINERS_RYUK_DISABLED=true: .+$/m);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      t.diagnostic("the reaper's image is not available here: checked the one-line refusal");
    } else {
      cli.child.kill("SIGKILL");
      await cli.done;
      // Ryuk waits for its client to stay away (10 s by default) before it removes the session.
      const reaped = Date.now() + 90_000;
      let left;
      while ((left = await countLabelled(client, "io.kac.cluster", name)).containers + left.networks > 0) {
        assert.ok(Date.now() < reaped, `the reaper left the killed run's ${JSON.stringify(left)}`);
        await sleep(1000);
      }
      t.diagnostic("the reaper removed the SIGKILLed run's containers and network");
    }
    assert.deepEqual(await countLabelled(client, "io.kac.cluster", name), { containers: 0, networks: 0 });
  } finally {
    cli.child.kill("SIGKILL");
    await removeLabelled(client, "io.kac.cluster", name);
    await rm(dir, { recursive: true, force: true });
  }
});
