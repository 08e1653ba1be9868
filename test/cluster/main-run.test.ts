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
import { coldCaches } from "../support/cold-caches.ts";

// The main job, as the README gives it: a fresh kind cluster from kind-config.yaml, every suite, the
// report in reports/latest. Its output streams through, so CI logs show the cluster start phases and
// each check as it finishes. It runs with empty Go, pip and Maven caches, as a new user's first run does:
// the client snippets are built from nothing while the cluster starts, and must not cost any check time.

/** The skips the README lists: runtimes the project's machines do not have. */
const README_SKIPS = ["CL-DOTNET", "CL-HASKELL"];

test("kube-access-conformance run: a kind cluster, all suites, a report covering the whole catalog", async () => {
  const client = await connectDockerHost();
  const clusterName = loadClusterConfig(join(PROJECT_ROOT, "kind-config.yaml")).name;
  const cold = await coldCaches();
  const cli = startCli(["run"], cold.env);
  cli.child.stderr!.pipe(process.stderr);
  cli.child.stdout!.pipe(process.stderr);
  const result = await cli.done.finally(cold.remove);
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
  assert.deepEqual(report.checks.filter((c) => c.result === "skip").map((c) => c.id).sort(), [...README_SKIPS].sort(), "only the skips the README lists");
  assert.match(result.stderr, /client go: built and cached/, "the Go snippet was built from an empty cache");
  for (const id of ["CL-GO", "CL-PY", "CL-JAVA"]) {
    const check = report.checks.find((c) => c.id === id)!;
    // The snippet's own run: a JVM start and one list call, never a compile or an install.
    assert.ok(check.durationMs < 30_000, `${id} took ${check.durationMs} ms: a build inside the check's time?`);
  }
  for (const check of report.checks.filter((c) => c.result !== "pass")) {
    assert.ok(check.reason, `${check.id} (${check.result}) states its reason`);
  }
  for (const check of report.checks.filter((c) => c.result === "pass" || c.result === "warn")) {
    assert.ok(check.evidence.length > 0, `${check.id} carries evidence`);
  }
});
