import { rm } from "node:fs/promises";
import { basename, isAbsolute } from "node:path";
import type { ContainerRuntimeClient } from "testcontainers";
import { RUN_LABEL, WORK_DIR_LABEL } from "../ground/labels.ts";
import { labelFilters } from "./docker-debris.ts";

/**
 * Removes the work directories (kubeconfigs) that the node containers of one run, or of every run,
 * name. A label is only a string on a container: nothing but an absolute path to a kac- directory,
 * as the harness makes them, is removed.
 */
export async function removeWorkDirs(client: ContainerRuntimeClient, runId?: string): Promise<number> {
  const containers = await client.container.dockerode.listContainers({ all: true, filters: labelFilters(RUN_LABEL, runId) });
  const dirs = new Set(containers.map((c) => c.Labels[WORK_DIR_LABEL]).filter((d): d is string => !!d && isAbsolute(d) && basename(d).startsWith("kac-")));
  await Promise.all([...dirs].map((dir) => rm(dir, { recursive: true, force: true })));
  return dirs.size;
}
