import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckResult, Outcome } from "../../harness/report/model.ts";
import { proxyKinds } from "../../harness/report/proxy-kinds.ts";

const check = (id: string, result: Outcome): CheckResult => ({ id, section: "kubectl-proxy", title: id, doc: { page: "", anchor: "", url: "" }, result, evidence: [], durationMs: 1 });

test("each kind of proxy takes the worst result of its own checks", () => {
  const lines = proxyKinds([check("KP-01", "pass"), check("KP-02", "warn"), check("SP-01", "pass"), check("SP-02", "fail"), check("SP-21", "pass"), check("IC-10", "pass"), check("SP-22", "n/a")], undefined);
  const state = Object.fromEntries(lines.map((l) => [l.kind, l.state]));
  assert.deepEqual(state, {
    "kubectl proxy": "warn",
    "API server proxy": "fail",
    "kube-proxy": "pass",
    "proxy or load balancer in front of the API server": "n/a",
    "cloud load balancer (LoadBalancer Services)": "n/a",
  });
  assert.deepEqual(lines.find((l) => l.kind === "kube-proxy")!.from, ["SP-21", "IC-10"]);
  assert.equal(lines.find((l) => l.kind === "API server proxy")!.basis, "1 pass, 1 fail");
});

test("a front of the API server is detected only when the server is not an endpoint", () => {
  const front = (kind: "none" | "other" | "kubernetes-service") => proxyKinds([], { server: "s:1", resolved: [], endpoints: [], front: kind, evidence: kind })[3]!;
  assert.equal(front("other").state, "detected");
  assert.equal(front("kubernetes-service").state, "detected");
  assert.equal(front("none").state, "n/a");
});

test("kinds whose checks were not selected say so", () => {
  assert.equal(proxyKinds([check("KP-01", "not-selected")], undefined)[0]!.state, "not-selected");
});
