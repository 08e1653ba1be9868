import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG } from "../../harness/catalog/catalog.ts";
import { REMEDIATION, remediationFor } from "../../harness/catalog/remediation.ts";

test("every catalog ID has a non-empty remediation line", () => {
  for (const { id } of CATALOG) {
    assert.equal(typeof REMEDIATION[id], "string", `${id} has no remediation line`);
    assert.notEqual(REMEDIATION[id]!.trim(), "", `${id}'s remediation line is empty`);
    assert.equal(remediationFor(id), REMEDIATION[id]);
  }
});

test("no remediation line for an ID outside the catalog", () => {
  const ids = new Set(CATALOG.map((e) => e.id));
  assert.deepEqual(Object.keys(REMEDIATION).filter((id) => !ids.has(id)), []);
});

test("every remediation line is one line", () => {
  for (const [id, line] of Object.entries(REMEDIATION)) assert.doesNotMatch(line, /[\r\n]/, `${id}'s remediation line holds a line break`);
});

test("remediationFor throws for an unknown ID", () => {
  assert.throws(() => remediationFor("KP-99"), /KP-99 is not in the access-path catalog/);
  assert.throws(() => remediationFor(""));
  // Not an own key of the map, though every object has it.
  assert.throws(() => remediationFor("toString"));
});
