import assert from "node:assert/strict";
import { RUN_LABEL } from "../../harness/ground/labels.ts";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { CoreV1Api, KubeConfig, StorageV1Api } from "@kubernetes/client-node";
import { countLabelled } from "../../harness/cleanup/docker-debris.ts";
import { KindCluster, type StartedKindCluster } from "../../harness/kind/cluster.ts";
import { loadClusterConfig } from "../../harness/kind/cluster-config.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { Progress } from "../../harness/log/progress.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import { PROJECT_ROOT } from "../support/cli.ts";
import { OwnClusterRun } from "../support/own-cluster-run.ts";

const run = promisify(execFile);

describe("a kind cluster from kind-config.yaml, through Testcontainers", () => {
  let workDir: string;
  let cluster: KindCluster;
  let started: StartedKindCluster;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), "kac-test-"));
    cluster = new KindCluster({
      config: loadClusterConfig(join(PROJECT_ROOT, "kind-config.yaml")),
      nodeImage: process.env.KAC_NODE_IMAGE,
      workDir,
      progress: new Progress(),
    });
    started = await cluster.start();
  });

  after(async () => {
    await cluster.teardown();
    await rm(workDir, { recursive: true, force: true });
  });

  test("every node of the config is Ready, as the API reports through the exported kubeconfig", async () => {
    const config = new KubeConfig();
    config.loadFromFile(started.kubeconfigPath);
    const nodes = await config.makeApiClient(CoreV1Api).listNode();
    const ready = nodes.items.map((n) => [n.metadata!.name, n.status!.conditions!.find((c) => c.type === "Ready")!.status]);
    assert.deepEqual(ready.sort(), [["kac-control-plane", "True"], ["kac-worker", "True"], ["kac-worker2", "True"]]);
    // The workers are not control-plane hosts: ordinary pods are kept off the control plane.
    const controlPlane = nodes.items.find((n) => n.metadata!.name === "kac-control-plane")!;
    assert.ok(controlPlane.spec!.taints?.some((t) => t.key === "node-role.kubernetes.io/control-plane" && t.effect === "NoSchedule"));
  });

  test("kubectl get --raw /api works through the exported kubeconfig with TLS verification on", async () => {
    const { stdout } = await run("kubectl", ["--kubeconfig", started.kubeconfigPath, "get", "--raw", "/api"]);
    const api = JSON.parse(stdout);
    assert.equal(api.kind, "APIVersions");
    assert.deepEqual(api.versions, ["v1"]);
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(started.kubeconfigPath);
    const cluster = kubeconfig.getCurrentCluster()!;
    assert.equal(cluster.skipTLSVerify, false);
    assert.ok(cluster.caData, "the kubeconfig carries the cluster CA");
    assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test("default storage: a claim of the default StorageClass binds once a Pod uses it", async () => {
    const config = new KubeConfig();
    config.loadFromFile(started.kubeconfigPath);
    const api = config.makeApiClient(CoreV1Api);
    const classes = await config.makeApiClient(StorageV1Api).listStorageClass();
    assert.ok(classes.items.some((c) => c.metadata!.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true"), "a default StorageClass");
    const nodes = await api.listNode();
    const pause = nodes.items.flatMap((n) => n.status?.images ?? []).flatMap((i) => i.names ?? []).find((n) => /\/pause:[^@]+$/.test(n))!;
    await api.createNamespacedPersistentVolumeClaim({ namespace: "default", body: {
      metadata: { name: "kac-claim" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Mi" } } },
    } });
    await api.createNamespacedPod({ namespace: "default", body: {
      metadata: { name: "kac-claimer" },
      spec: { containers: [{ name: "c", image: pause, volumeMounts: [{ name: "v", mountPath: "/data" }] }], volumes: [{ name: "v", persistentVolumeClaim: { claimName: "kac-claim" } }] },
    } });
    // Bound, and mounted: the Pod runs with the volume. One 120 s budget for both.
    let seen = "";
    await waitFor("the claim Bound and the claiming Pod Running", async () => {
      const claim = (await api.readNamespacedPersistentVolumeClaim({ name: "kac-claim", namespace: "default" })).status?.phase;
      if (claim !== "Bound") return void (seen = `claim still ${claim}`);
      const pod = (await api.readNamespacedPod({ name: "kac-claimer", namespace: "default" })).status?.phase;
      if (pod !== "Running") return void (seen = `the claiming Pod still ${pod}`);
      return true;
    }, { timeoutMs: 120_000, intervalMs: 1000, lastSeen: () => seen });
  });

  test("teardown leaves no container, volume or network of the run, even with a Pod's cgroup frozen", async () => {
    const client = await connectDockerHost();
    if ((await client.container.dockerode.info()).CgroupVersion !== "2") {
      // What a node killed in the middle of a Pod container's start leaves on cgroup v1 (runc freezes
      // the cgroup while it changes it): a frozen process, which SIGKILL cannot end.
      const worker = started.nodes.find((n) => n.role === "worker")!;
      await worker.run(["sh", "-c", "f=$(find /sys/fs/cgroup/freezer -path '*kubepods*pod*' -name freezer.state | head -n1); [ -n \"$f\" ] && echo FROZEN > \"$f\""]);
    }
    const ids = (await client.container.dockerode.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${cluster.runId}`] } })).map((c) => c.Id);
    assert.equal(ids.length, 3);
    const volumes = new Set((await Promise.all(ids.map((id) => client.container.dockerode.getContainer(id).inspect())))
      .flatMap((c) => c.Mounts.filter((m) => m.Type === "volume").map((m) => m.Name!)));
    await cluster.teardown();
    assert.deepEqual(await countLabelled(client, RUN_LABEL, cluster.runId), { containers: 0, networks: 0 });
    const remaining = (await client.container.dockerode.listVolumes()).Volumes?.filter((v) => volumes.has(v.Name)) ?? [];
    assert.deepEqual(remaining, [], "the nodes' /var volumes are removed with them");
  });
});

// The harness's own cleanup, with Testcontainers' reaper off and on: either way nothing may be left when
// the run exits (the reaper, when on, would act only 10 s later).
for (const reaper of ["off", "on"]) {
  test(`SIGINT in the middle of a cluster start removes everything that start created (reaper ${reaper})`, async () => {
    const run = await OwnClusterRun.start(`sigint${reaper}`, [], { TESTCONTAINERS_RYUK_DISABLED: String(reaper === "off") });
    try {
      assert.ok(await run.nodeContainersCreated(), `the run ended before its nodes existed:\n${run.cli.output()}`);
      run.cli.child.kill("SIGINT");
      const result = await run.done;
      assert.equal(result.code, 130, result.stderr);
      assert.match(result.stderr, /SIGINT: removing what this run created/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      assert.deepEqual(await run.leftInDocker(), { containers: 0, networks: 0 });
    } finally {
      await run.dispose();
    }
  });
}
