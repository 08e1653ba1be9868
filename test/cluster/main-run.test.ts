import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { countLabelled } from "../../harness/cleanup/docker-debris.ts";
import { loadClusterConfig } from "../../harness/kind/cluster-config.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import type { Report } from "../../harness/report/model.ts";
import { PROJECT_ROOT, startCli } from "../support/cli.ts";

// The main job, as the README gives it: a fresh kind cluster from kind-config.yaml, every suite, the
// report in reports/latest. Its output streams through, so CI logs show the cluster start phases and
// each check as it finishes.

test("kube-access-conformance run: a kind cluster, all suites, a report covering the whole catalog", async () => {
  const client = await connectDockerHost();
  const clusterName = loadClusterConfig(join(PROJECT_ROOT, "kind-config.yaml")).name;
  const cli = startCli(["run"]);
  cli.child.stderr!.pipe(process.stderr);
  cli.child.stdout!.pipe(process.stderr);
  const result = await cli.done;
  const report = JSON.parse(await readFile(join(PROJECT_ROOT, "reports", "latest", "report.json"), "utf8")) as Report;
  assert.deepEqual(report.checks.map((c) => c.id), CATALOG.map((e) => e.id), "every catalog ID, in order");
  const failed = report.checks.filter((c) => c.result === "fail").map((c) => `${c.id}: ${c.reason}`);
  assert.deepEqual(failed, []);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^\d+ passed, 0 failed, \d+ skipped$/m);
  assert.deepEqual(await countLabelled(client, "io.kac.cluster", clusterName), { containers: 0, networks: 0 }, "the run removed its cluster");
  assert.deepEqual(report.latency?.map((l) => l.path), ["direct", "kubectl proxy", "service proxy (via kubectl proxy)"]);
  for (const path of report.latency!) {
    assert.ok(!("unmeasured" in path), `${path.path}: ${"unmeasured" in path && path.unmeasured}`);
    assert.ok(path.p50Ms > 0 && path.p95Ms >= path.p50Ms, `${path.path} latency`);
  }
  for (const check of report.checks.filter((c) => c.result !== "pass")) {
    assert.ok(check.reason, `${check.id} (${check.result}) states its reason`);
  }
  for (const check of report.checks.filter((c) => c.result === "pass" || c.result === "warn")) {
    assert.ok(check.evidence.length > 0, `${check.id} carries evidence`);
  }
});
