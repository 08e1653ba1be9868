import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import type { RemovedDebris } from "../../harness/cleanup/docker-debris.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import { runCli } from "../support/cli.ts";
import { OwnClusterRun } from "../support/own-cluster-run.ts";

// The harness cleans up after itself on every exit it sees; SIGKILL it cannot see. There Testcontainers'
// reaper is the safety net: it removes the session's node containers and network once the killed
// process's connection to it is gone. Offline, the reaper is the image images/reaper/build.sh makes.

test("with the reaper on: a SIGKILLed cluster start is removed by the reaper", async () => {
  const run = await OwnClusterRun.start("reaper", [], { TESTCONTAINERS_RYUK_DISABLED: "false" });
  try {
    assert.ok(await run.nodeContainersCreated(), `the run ended before its nodes existed:\n${run.cli.output()}`);
    run.cli.child.kill("SIGKILL");
    await run.done;
    // Ryuk waits for its client to stay away (10 s by default) before it removes the session.
    let left: RemovedDebris | undefined;
    await waitFor("the reaper removing the killed run", async () => {
      left = await run.leftInDocker();
      return left.containers + left.networks === 0 ? true : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, lastSeen: () => `it left the killed run's ${JSON.stringify(left)}` });
  } finally {
    await run.dispose();
  }
});

test("with the reaper on: a cluster kept with --keep outlives the run, and `down --export-logs` saves its logs and removes it", async () => {
  const run = await OwnClusterRun.start("kept", ["--keep", "--suite", "kubeconfig"], { TESTCONTAINERS_RYUK_DISABLED: "false" });
  try {
    const result = await run.done;
    assert.equal(result.code, 0, result.stderr);
    const runId = /remove it: npm run kac -- down --run (\S+)/.exec(result.stderr)?.[1];
    const kubeconfig = /reach it: kubectl --kubeconfig (\S+) get nodes/.exec(result.stderr)?.[1];
    assert.ok(runId && kubeconfig, `no way to reach and remove the cluster printed:\n${result.stderr}`);
    // Past the time a reaper would take (10 s after its client is gone) the cluster is all there.
    await sleep(20_000);
    assert.deepEqual(await run.leftInDocker(), { containers: 2, networks: 1 });
    assert.ok(existsSync(kubeconfig), "the kept cluster's kubeconfig is there");
    const logs = await mkdtemp(join(tmpdir(), "kac-kept-logs-"));
    const down = await runCli(["down", "--run", runId, "--export-logs", logs]);
    assert.equal(down.code, 0, down.stderr);
    // A running control plane's logs grow while they are read: every one of them is there, no error in their place.
    const files = await readdir(logs, { recursive: true });
    assert.deepEqual(files.filter((f) => f.endsWith("ERROR.log")), [], "no log replaced by an error");
    for (const file of ["events.log", "pods.log", "nodes.log"]) assert.ok(files.includes(file), `${file} among ${files.join(", ")}`);
    const nodes = files.filter((f) => f.endsWith("kubelet.log")).map((f) => dirname(f));
    const controlPlane = nodes.find((n) => n.endsWith("-control-plane"));
    assert.ok(controlPlane && nodes.length === 2, `a directory per node: ${nodes.join(", ")}`);
    const podLog = (node: string, component: string) => files.some((f) => f.startsWith(join(node, "pods")) && f.includes(`_${component}-`) && f.endsWith(".log"));
    for (const component of ["kube-apiserver", "etcd"]) assert.ok(podLog(controlPlane, component), `${component}'s log copied from ${controlPlane}`);
    for (const component of ["kube-proxy", "coredns"]) assert.ok(nodes.some((n) => podLog(n, component)), `${component}'s log copied`);
    await rm(logs, { recursive: true, force: true });
    assert.deepEqual(await run.leftInDocker(), { containers: 0, networks: 0 });
    assert.ok(!existsSync(dirname(kubeconfig)), "down removed the kept run's work directory");
  } finally {
    await run.dispose();
  }
});
