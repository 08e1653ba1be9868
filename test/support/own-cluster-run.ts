import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContainerRuntimeClient } from "testcontainers";
import { countLabelled, removeLabelled, type RemovedDebris } from "../../harness/cleanup/docker-debris.ts";
import { connectDockerHost } from "../../harness/kind/docker-host.ts";
import { waitFor } from "../../harness/ground/wait.ts";
import { startCli, type CliResult } from "./cli.ts";

/**
 * A `run` that starts its own small kind cluster (a control-plane node and a worker), as a user would:
 * the cluster tests interrupt it or give it bad input, then count what it left in Docker under the
 * cluster's name, which is unique to the test process.
 */
export class OwnClusterRun {
  readonly name: string;
  readonly dir: string;
  readonly client: ContainerRuntimeClient;
  readonly cli: ReturnType<typeof startCli>;
  private exited = false;

  private constructor(name: string, dir: string, client: ContainerRuntimeClient, cli: ReturnType<typeof startCli>) {
    this.name = name;
    this.dir = dir;
    this.client = client;
    this.cli = cli;
    void cli.done.then(() => (this.exited = true));
  }

  static async start(prefix: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<OwnClusterRun> {
    const dir = await mkdtemp(join(tmpdir(), `kac-${prefix}-`));
    const name = `${prefix}${process.pid}`;
    const config = join(dir, "kind.yaml");
    await writeFile(config, `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: ${name}\nnodes: [{ role: control-plane }, { role: worker }]\n`);
    const client = await connectDockerHost();
    // A private TMPDIR: the run's work directory, which a SIGKILLed run cannot remove, goes with the test's.
    const tmp = join(dir, "tmp");
    await mkdir(tmp);
    const cli = startCli(["run", "--kind-config", config, "--report-dir", join(dir, "reports"), ...args], { TMPDIR: tmp, ...env });
    return new OwnClusterRun(name, dir, client, cli);
  }

  get done(): Promise<CliResult> {
    return this.cli.done;
  }

  /** Waits until both node containers exist (the start well under way, far from done): true, or false when the run ended first. */
  async nodeContainersCreated(timeoutMs = 120_000): Promise<boolean> {
    await waitFor("the node containers of the run", async () => (this.exited || (await this.leftInDocker()).containers >= 2 ? true : undefined),
      { timeoutMs, intervalMs: 250, lastSeen: () => `the run so far:\n${this.cli.output()}` });
    return !this.exited;
  }

  leftInDocker(): Promise<RemovedDebris> {
    return countLabelled(this.client, "io.kac.cluster", this.name);
  }

  /** Whatever the test's outcome: the run is gone, and so is anything it left. */
  async dispose(): Promise<void> {
    this.cli.child.kill("SIGKILL");
    await this.cli.done;
    await removeLabelled(this.client, "io.kac.cluster", this.name);
    await rm(this.dir, { recursive: true, force: true });
  }
}
