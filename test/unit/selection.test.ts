import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { clientsFor } from "../../harness/clients/client-build.ts";
import { UsageError } from "../../harness/errors/usage-error.ts";
import { selectChecks } from "../../harness/run/selection.ts";

test("no filter selects the whole catalog and every suite", () => {
  const selection = selectChecks([], undefined);
  assert.deepEqual(selection.checkIds, CATALOG.map((e) => e.id));
  assert.deepEqual(selection.suites, [...new Set(CATALOG.map((e) => e.section))]);
});

test("--suite and --grep narrow together; --grep sees the ID and the title", () => {
  assert.deepEqual(selectChecks(["client-libraries"], "^CL-(GO|PY) ").checkIds, ["CL-GO", "CL-PY"]);
  const byTitle = selectChecks([], "--unix-socket");
  assert.deepEqual(byTitle.checkIds, ["KP-08"]);
  assert.deepEqual(byTitle.suites, ["kubectl-proxy"]);
});

test("an invalid pattern and an empty selection are usage errors", () => {
  assert.throws(() => selectChecks([], "("), UsageError);
  assert.throws(() => selectChecks([], "NOTHING-MATCHES"), /selects no check/);
  assert.throws(() => selectChecks(["kubeconfig"], "^TK-"), /--suite kubeconfig --grep "\^TK-" selects no check/);
});

test("the client snippets a selection needs: each once, none for checks that run no snippet", () => {
  assert.deepEqual(clientsFor(selectChecks(["client-libraries"], undefined).checkIds), ["go", "python", "java"]);
  assert.deepEqual(clientsFor(["CL-PROXY", "CL-GO"]), ["go", "python"]);
  assert.deepEqual(clientsFor(selectChecks(["kubeconfig"], undefined).checkIds), []);
});
