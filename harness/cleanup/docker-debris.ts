import type { ContainerRuntimeClient } from "testcontainers";
import { isStuckKill, thawFrozenCgroups } from "./frozen-cgroups.ts";

export interface RemovedDebris {
  containers: number;
  networks: number;
}

/**
 * Removes every container (with its anonymous volumes) and network that carries the label. It works
 * from Docker's own listing rather than from what this process remembers, so it also finds a container
 * whose creation was still in flight when a signal arrived, and leftovers of a killed run.
 */
export async function removeLabelled(client: ContainerRuntimeClient, label: string, value?: string): Promise<RemovedDebris> {
  const dockerode = client.container.dockerode;
  const containers = await removeLabelledContainers(client, label, value);
  const networks = await dockerode.listNetworks({ filters: labelFilters(label, value) });
  await Promise.all(networks.map((n) => dockerode.getNetwork(n.Id).remove().catch(ignoreGone)));
  return { containers, networks: networks.length };
}

/**
 * Removes the containers only: safe to repeat while a start is still creating some, when the network
 * cannot go yet because a container being created is joining it.
 */
export async function removeLabelledContainers(client: ContainerRuntimeClient, label: string, value?: string): Promise<number> {
  const dockerode = client.container.dockerode;
  const containers = await dockerode.listContainers({ all: true, filters: labelFilters(label, value) });
  await Promise.all(containers.map((c) => removeContainer(client, c.Id)));
  return containers.length;
}

async function removeContainer(client: ContainerRuntimeClient, id: string): Promise<void> {
  const remove = () => client.container.dockerode.getContainer(id).remove({ force: true, v: true });
  await remove().catch(async (error: { statusCode?: number; message?: string }) => {
    if (!isStuckKill(error)) return ignoreGone(error);
    await thawFrozenCgroups(client, id);
    await remove().catch(ignoreGone);
  });
}

/** Counts what carries the label, for tests and for `down` to report. */
export async function countLabelled(client: ContainerRuntimeClient, label: string, value?: string): Promise<RemovedDebris> {
  const dockerode = client.container.dockerode;
  const filters = labelFilters(label, value);
  const [containers, networks] = await Promise.all([dockerode.listContainers({ all: true, filters }), dockerode.listNetworks({ filters })]);
  return { containers: containers.length, networks: networks.length };
}

/** Docker's filter for what carries the label (with that value, where one is given). */
export function labelFilters(label: string, value?: string): { label: string[] } {
  return { label: [value === undefined ? label : `${label}=${value}`] };
}

// Two cleanups may race for the same object (a signal during a normal stop); "already gone" is success.
function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}
