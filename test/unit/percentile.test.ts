import assert from "node:assert/strict";
import { test } from "node:test";
import { percentile } from "../../harness/latency/latency.ts";

test("percentiles by the nearest-rank method", () => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(samples, 50), 50);
  assert.equal(percentile(samples, 95), 95);
  assert.equal(percentile([3, 1, 2], 50), 2);
  assert.equal(percentile([7], 95), 7);
});
