import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import type { StartedKindCluster } from "../../harness/kind/cluster.ts";
import { loadImage } from "../../harness/kind/load-image.ts";
import { DEFAULT_HARNESS_IMAGE } from "../../harness/paths.ts";
import { PROJECT_ROOT } from "./cli.ts";

const loaded = new WeakMap<StartedKindCluster, Promise<void>>();

/**
 * Builds the harness image of this checkout's version (images/harness/build.sh, which the in-cluster runs use) (or finds it cached by its inputs: a second or so), so that it holds exactly
 * these sources, and loads it into the cluster's nodes: once per cluster, however many runs ask.
 */
export function loadHarnessImage(started: StartedKindCluster): Promise<void> {
  let done = loaded.get(started);
  if (!done) {
    done = buildHarnessImage().then(() => loadImage(started, DEFAULT_HARNESS_IMAGE));
    loaded.set(started, done);
  }
  return done;
}

async function buildHarnessImage(): Promise<void> {
  const build = spawn("bash", [join(PROJECT_ROOT, "images", "harness", "build.sh")], {
    // The build's npm runs under this test's Node.
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  build.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => build.on("close", resolve));
  assert.equal(code, 0, `images/harness/build.sh failed:\n${output}`);
}
