import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { waitFor } from "../ground/wait.ts";
import type { StartedKindCluster } from "../kind/cluster.ts";
import { connectDockerHost } from "../kind/docker-host.ts";
import { loadImage } from "../kind/load-image.ts";
import { imageExists } from "../kind/local-image.ts";
import { HARNESS_CONTAINER, jobManifest } from "../providers/in-cluster/job-manifest.ts";

const execFileP = promisify(execFile);
const NAMESPACE = "kac-bench-job";
/** A whole run inside a Pod on a busy two-core machine, with room to spare. */
const RUN_TIMEOUT_MS = 30 * 60_000;

export type InClusterFigures = { seconds: number; exitCode: number } | { unmeasured: string };

/**
 * The whole run as the in-cluster Job runs it (job-manifest, the harness image, `run --in-cluster`):
 * from `kubectl apply` to the harness container's exit, on the bench's cluster; the Job's objects are
 * deleted afterwards. Not measured where the harness image is not built.
 */
export async function timeInClusterRun(cluster: StartedKindCluster, kubectl: string, image: string): Promise<InClusterFigures> {
  if (!(await imageExists(await connectDockerHost(), image))) return { unmeasured: `no image ${image}: build it with bash images/harness/build.sh` };
  await loadImage(cluster, image);
  const k = (args: string[], input?: string) => {
    const run = execFileP(kubectl, ["--kubeconfig", cluster.kubeconfigPath, ...args], { maxBuffer: 64 << 20 });
    if (input !== undefined) run.child.stdin!.end(input);
    return run;
  };
  // No report container: the bench wants the run's time, not its report.
  const manifest = jobManifest({ image, namespace: NAMESPACE, reportHoldSeconds: 0 });
  const began = Date.now();
  await k(["apply", "-f", "-"], manifest);
  try {
    const exitCode = await waitFor("the in-cluster run to finish", async () => {
      const pods = JSON.parse((await k(["get", "pods", "-n", NAMESPACE, "-o", "json"])).stdout) as { items: { status: { containerStatuses?: { name: string; state?: { terminated?: { exitCode: number } } }[] } }[] };
      return pods.items[0]?.status.containerStatuses?.find((c) => c.name === HARNESS_CONTAINER)?.state?.terminated?.exitCode;
    }, { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 2000 });
    return { seconds: (Date.now() - began) / 1000, exitCode };
  } finally {
    await k(["delete", "--wait", "-f", "-"], manifest).catch(() => undefined);
  }
}
