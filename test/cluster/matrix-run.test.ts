import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, realpath } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { countLabelled } from "../../harness/cleanup/docker-debris.ts";
import { RUN_LABEL } from "../../harness/ground/labels.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { minorRelease, SUPPORTED_MINORS } from "../../harness/kind/kubernetes-versions.ts";
import { MATRIX_SCHEMA, type MatrixReport } from "../../harness/report/matrix-model.ts";
import type { Report } from "../../harness/report/model.ts";
import { PROJECT_ROOT, startCli } from "../support/cli.ts";

// The matrix on the oldest and the newest supported minor, each its own kind cluster from the offline
// images (scripts/prepare-machine.sh --kubernetes builds them): one report with the two side by side.
// The suites whose answers depend most on the API server's version, to keep CI's time down; the
// README's matrix excerpt comes from a run of every suite on every supported minor.
const MINORS = [SUPPORTED_MINORS[0]!, SUPPORTED_MINORS.at(-1)!];
const SUITES = ["kubeconfig", "kubectl-proxy", "token", "service-proxy"];

test(`run --kubernetes ${MINORS.join(",")}: a cluster per minor, one matrix report whose differences carry both columns' evidence`, async () => {
  const client = await connectDockerHost();
  const reportDir = join(PROJECT_ROOT, "reports", "matrix-test");
  const cli = startCli(["run", "--kubernetes", MINORS.join(","), ...SUITES.flatMap((s) => ["--suite", s]), "--report-dir", reportDir]);
  cli.child.stderr!.pipe(process.stderr);
  cli.child.stdout!.pipe(process.stderr);
  const result = await cli.done;
  const matrixDir = await realpath(join(reportDir, "latest"));
  const matrix = JSON.parse(await readFile(join(matrixDir, "matrix.json"), "utf8")) as MatrixReport;

  assert.equal(matrix.schema, MATRIX_SCHEMA);
  assert.deepEqual(matrix.columns.map((c) => [c.label, c.target?.serverVersion, c.error]), MINORS.map((m) => [m, minorRelease(m).offline, undefined]), "a column per minor, on its offline build");
  assert.deepEqual(matrix.rows.map((r) => r.id), CATALOG.map((e) => e.id), "every catalog ID, in order");
  for (const column of matrix.columns) {
    const own = JSON.parse(await readFile(join(matrixDir, column.reportDir, "report.json"), "utf8")) as Report;
    assert.deepEqual(own.summary, column.summary, `${column.label}: the column's summary is its own report's`);
    assert.ok(existsSync(join(matrixDir, column.reportDir, "report.html")), `${column.label}: its own report.html`);
    const failed = matrix.rows.filter((r) => r.cells[matrix.columns.indexOf(column)]!.result === "fail").map((r) => r.id);
    assert.deepEqual(failed, [], `${column.label}: no failed check`);
  }
  for (const row of matrix.rows.filter((r) => r.differs)) {
    for (const [i, cell] of row.cells.entries()) {
      assert.ok(cell.evidence && (cell.evidence.length > 0 || cell.reason), `${row.id} differs (${row.differs}): column ${matrix.columns[i]!.label} carries evidence or its reason`);
    }
  }
  const differing = matrix.rows.filter((r) => r.differs).map((r) => r.id);
  assert.deepEqual([...matrix.differences.result, ...matrix.differences.evidence, ...matrix.differences["doc-drift"]].sort(), differing.sort(), "the differences list is the rows that differ");
  const html = await readFile(join(matrixDir, "matrix.html"), "utf8");
  for (const id of differing) assert.match(html, new RegExp(id), `matrix.html shows ${id}`);
  assert.match(result.stdout, new RegExp(`^${MINORS[0]!.replace(".", "\\.")}: \\d+ passed, 0 failed, \\d+ skipped, \\d+ not selected; .*; \\d+ of ${CATALOG.length} checks differ between columns$`, "m"));
  assert.equal(result.code, 0);
  assert.deepEqual(await countLabelled(client, RUN_LABEL), { containers: 0, networks: 0 }, "both clusters removed");
});
