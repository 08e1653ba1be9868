import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { prepareCniManifest } from "../../harness/kind/actions/install-cni.ts";
import { parseClusterConfig } from "../../harness/kind/cluster-config.ts";
import type { StartedKindNode } from "../../harness/kind/node-container.ts";

const OFFLINE_MANIFEST = new URL("../../images/node/cni/default-cni.yaml", import.meta.url);

test("the offline node image's CNI manifest gets the control plane's endpoint, so its agent need not wait for kube-proxy", () => {
  const config = parseClusterConfig("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: demo\nnodes: [{ role: control-plane }, { role: worker }]\n", "test.yaml");
  const nodes = [{ role: "control-plane", nodeName: "demo-control-plane" }] as unknown as StartedKindNode[];
  const prepared = prepareCniManifest(readFileSync(OFFLINE_MANIFEST, "utf8"), { config, nodes });
  const daemonSet = parseAllDocuments(prepared).map((d) => d.toJS()).find((o) => o?.kind === "DaemonSet");
  assert.deepEqual(daemonSet.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "CONTROL_PLANE_ENDPOINT"), { name: "CONTROL_PLANE_ENDPOINT", value: "demo-control-plane:6443" });
});
