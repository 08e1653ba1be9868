import assert from "node:assert/strict";
import { test } from "node:test";
import { nodePodSubnets } from "../../harness/kind/pod-subnets.ts";

test("each node gets the next /24 of the pod subnet, in the order given", () => {
  assert.deepEqual(nodePodSubnets("10.244.0.0/16", 3), ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]);
  assert.deepEqual(nodePodSubnets("192.168.0.0/22", 4), ["192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"]);
});

test("host bits in the pod subnet are cleared, and /24s carry over into the next octets", () => {
  assert.deepEqual(nodePodSubnets("10.244.7.9/16", 2), ["10.244.0.0/24", "10.244.1.0/24"]);
  assert.deepEqual(nodePodSubnets("10.255.255.0/8", 2), ["10.0.0.0/24", "10.0.1.0/24"]);
  assert.deepEqual(nodePodSubnets("10.0.0.0/8", 258)?.slice(255, 258), ["10.0.255.0/24", "10.1.0.0/24", "10.1.1.0/24"]);
});

test("a pod subnet with too few /24s for the nodes gets none", () => {
  assert.equal(nodePodSubnets("10.244.0.0/25", 1), undefined);
  assert.equal(nodePodSubnets("10.244.0.0/23", 3), undefined);
  assert.deepEqual(nodePodSubnets("10.244.0.0/24", 1), ["10.244.0.0/24"]);
});
