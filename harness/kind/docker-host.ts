import { IMAGES_BUILD_COMMAND } from "../paths.ts";
import { getContainerRuntimeClient, getReaper, type ContainerRuntimeClient } from "testcontainers";
import { UsageError } from "../errors/usage-error.ts";
import { chooseReaperImage } from "./reaper-image.ts";

/** What a kind node container needs to know about the Docker host it runs on. */
export interface DockerHost {
  client: ContainerRuntimeClient;
  cgroupVersion: 1 | 2;
  /** "privileged" is kind's own way; "capabilities" is the fallback for hosts that refuse --privileged. */
  runMode: RunMode;
  /** Testcontainers' session: what carries its label, the reaper removes once this process is gone. */
  reaperSession: string;
}

export type RunMode = "privileged" | "capabilities";

export async function connectDockerHost(): Promise<ContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient();
  } catch {
    throw new UsageError(
      "no Docker engine is reachable",
      "start Docker (on a fresh machine: bash scripts/prepare-machine.sh) or point DOCKER_HOST at one",
    );
  }
}

/**
 * Starts Testcontainers' reaper (Ryuk), which removes the session's containers and networks even when
 * the harness is killed outright. Where its image cannot be had (no registry, no offline build), this
 * fails here, in one line, before anything of the run exists; TESTCONTAINERS_RYUK_DISABLED=true turns it off.
 */
async function startReaper(client: ContainerRuntimeClient): Promise<string> {
  const image = process.env.TESTCONTAINERS_RYUK_DISABLED === "true" ? undefined : await chooseReaperImage(client);
  try {
    return (await getReaper(client)).sessionId;
  } catch (error) {
    throw new UsageError(
      `Testcontainers' reaper (${image}) did not start: ${(error as Error).message.split("\n")[0]!.trim()}`,
      `offline, build it with ${IMAGES_BUILD_COMMAND}; or set TESTCONTAINERS_RYUK_DISABLED=true: the harness removes what it starts itself`,
    );
  }
}

/**
 * Starts the reaper, then learns the host's cgroup version and whether it grants --privileged. Some hosts (the project's own
 * CI among them) lack a capability that --privileged asks for, and Docker refuses such a container only
 * when it starts, so the probe starts a throw-away container from the node image.
 */
export async function probeDockerHost(client: ContainerRuntimeClient, image: string, labels: Record<string, string>): Promise<DockerHost> {
  const reaperSession = await startReaper(client);
  const info = await client.container.dockerode.info();
  const cgroupVersion = info.CgroupVersion === "2" ? 2 : 1;
  const probe = await client.container.create({
    Image: image,
    Entrypoint: ["true"],
    Labels: labels,
    HostConfig: { Privileged: true },
  });
  let runMode: RunMode = "privileged";
  try {
    await client.container.start(probe);
    await probe.wait();
  } catch {
    runMode = "capabilities";
  } finally {
    await probe.remove({ force: true, v: true });
  }
  return { client, cgroupVersion, runMode, reaperSession };
}
