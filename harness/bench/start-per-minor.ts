import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_FIXTURE_IMAGE, DEFAULT_PROBE_IMAGE } from "../ground/suite-images.ts";
import { KindCluster } from "../kind/cluster.ts";
import { loadClusterConfig } from "../kind/cluster-config.ts";
import type { MinorRelease } from "../kind/kubernetes-versions.ts";
import { Progress } from "../log/progress.ts";
import { DEFAULT_KIND_CONFIG } from "../paths.ts";

/** One cluster start, phase by phase: what "start to all nodes Ready" is made of. */
export interface StartFigures {
  minor: string;
  nodeImage: string;
  readySeconds: number;
  /** Start to the images loaded too: the start's end for the run. */
  imagesLoadedSeconds: number;
  phases: { phase: string; seconds: number }[];
  /** start→Ready over kubeadm init + join, the part no start can avoid (goal: 1.6 or less). */
  overKubeadm: number;
}

/**
 * Starts the default cluster on one minor with the suites' images, as a run does, and removes it;
 * `register` gets the teardown before anything exists, so an interrupt leaves nothing.
 */
export async function timeStart(release: MinorRelease, register: (name: string, teardown: () => Promise<void>) => void): Promise<StartFigures> {
  const workDir = await mkdtemp(join(tmpdir(), "kac-bench-start-"));
  const progress = new Progress((line) => process.stderr.write(`[${release.minor}] ${line}\n`));
  const cluster = new KindCluster({ config: loadClusterConfig(DEFAULT_KIND_CONFIG), kubernetes: release, images: [DEFAULT_FIXTURE_IMAGE, DEFAULT_PROBE_IMAGE], workDir, progress });
  register(`cluster ${release.minor}`, async () => {
    await cluster.teardown();
    await rm(workDir, { recursive: true, force: true });
  });
  const began = Date.now();
  const started = await cluster.start();
  const imagesLoadedSeconds = (Date.now() - began) / 1000;
  await cluster.teardown();
  const phases = progress.phases.map((p) => ({ phase: p.name, seconds: p.ms / 1000 }));
  const kubeadm = phases.filter((p) => p.phase.startsWith("kubeadm ")).reduce((sum, p) => sum + p.seconds, 0);
  const readySeconds = started.startDurationMs / 1000;
  return { minor: release.minor, nodeImage: started.nodeImage, readySeconds, imagesLoadedSeconds, phases, overKubeadm: readySeconds / kubeadm };
}
