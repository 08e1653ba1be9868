import assert from "node:assert/strict";
import { test } from "node:test";
import { latencyCells, percentile } from "../../harness/latency/latency.ts";

test("percentiles by the nearest-rank method", () => {
  const samples = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(samples, 50), 50);
  assert.equal(percentile(samples, 95), 95);
  assert.equal(percentile([3, 1, 2], 50), 2);
  assert.equal(percentile([7], 95), 7);
});

test("a timed path shows its figures; an unmeasured one says why instead of a number", () => {
  assert.deepEqual(latencyCells({ path: "kubectl proxy", requests: 90, p50Ms: 2.5, p95Ms: 4, overhead: 1.7 }), ["90", "2.5 ms", "4 ms", "×1.7"]);
  assert.deepEqual(latencyCells({ path: "service proxy", unmeasured: "/metrics answered 404" }), ["–", "–", "–", "not measured: /metrics answered 404"]);
});
