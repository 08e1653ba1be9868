import type { ContainerRuntimeClient } from "testcontainers";

/**
 * On cgroup v1 hosts, a node killed while its runc was changing a Pod container's cgroup (runc freezes
 * the cgroup for that, and thaws it after) leaves that cgroup FROZEN. A frozen process ignores SIGKILL,
 * so Docker cannot remove the node: "tried to kill container, but did not receive an exit event".
 * Docker reports that as a server error, and it is the one removal failure a retry cannot fix alone.
 */
export function isStuckKill(error: { statusCode?: number; message?: string }): boolean {
  return error.statusCode === 500 && /did not receive an exit event/.test(error.message ?? "");
}

/**
 * Thaws every frozen cgroup below the container's v1 freezer cgroup, so its processes can die. It runs
 * a short-lived container from the stuck container's own image (present, by definition) that mounts
 * just that subtree, which works on a remote engine too, and needs no privilege.
 */
export async function thawFrozenCgroups(client: ContainerRuntimeClient, containerId: string): Promise<void> {
  const dockerode = client.container.dockerode;
  const [info, stuck] = await Promise.all([dockerode.info(), dockerode.getContainer(containerId).inspect()]);
  if (info.CgroupVersion === "2") return;
  const subtree = info.CgroupDriver === "systemd" ? `system.slice/docker-${stuck.Id}.scope` : `docker/${stuck.Id}`;
  const thaw = await dockerode.createContainer({
    Image: stuck.Image,
    Entrypoint: ["sh", "-c", 'find /freezer -name freezer.state | while read -r f; do [ "$(cat "$f")" = THAWED ] || echo THAWED > "$f"; done'],
    // The run's labels: should this process die right here, the next sweep finds this one too.
    Labels: stuck.Config.Labels,
    HostConfig: { Binds: [`/sys/fs/cgroup/freezer/${subtree}:/freezer`] },
  });
  try {
    await thaw.start();
    await thaw.wait();
  } finally {
    await thaw.remove({ force: true });
  }
}
