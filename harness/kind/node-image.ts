import { imagesBuildCommandFor } from "../paths.ts";
import { ImageName, type ContainerRuntimeClient } from "testcontainers";
import { UsageError } from "../errors/usage-error.ts";
import { DEFAULT_RELEASE, KIND_RELEASE, type MinorRelease } from "./kubernetes-versions.ts";
import { imageExists } from "./local-image.ts";

/** Where `npm run images` puts the node image it builds from the Go module proxy and Debian packages. */
export const OFFLINE_NODE_REPOSITORY = "kac.local/node";

export interface NodeImageChoice {
  image: string;
  /** Why this image: said once on the terminal and kept in the report. */
  reason: string;
}

/** The offline build of a minor: kac.local/node:VERSION. */
export function offlineNodeImage(release: MinorRelease): string {
  return `${OFFLINE_NODE_REPOSITORY}:${release.offline}`;
}

/** What --dry-run and the help say the image of a minor will be. */
export function describeNodeImage(release: MinorRelease = DEFAULT_RELEASE): string {
  return release.upstream ? `${release.upstream} (or its offline build ${offlineNodeImage(release)})` : `${offlineNodeImage(release)} (pre-release, offline build only)`;
}

/**
 * Picks the node image: an explicit choice (flag or KAC_NODE_IMAGE) first, else kind's image of the
 * minor (the default minor unless asked); where that is neither present nor pullable (no registry) but
 * the offline build of that minor is, that one.
 */
export async function chooseNodeImage(client: ContainerRuntimeClient, requested: string | undefined, release: MinorRelease = DEFAULT_RELEASE): Promise<NodeImageChoice> {
  if (requested) {
    await ensurePresent(client, requested, "pass an image that exists locally or can be pulled");
    return { image: requested, reason: "requested" };
  }
  const offline = offlineNodeImage(release);
  const build = `build it first: ${imagesBuildCommandFor(release.offline)}`;
  if (!release.upstream) {
    await ensurePresent(client, offline, build);
    return { image: offline, reason: `offline build of Kubernetes ${release.minor} (pre-release; kind publishes no image of it)` };
  }
  if (await imageExists(client, release.upstream)) return { image: release.upstream, reason: `kind ${KIND_RELEASE}'s image of Kubernetes ${release.minor}, present locally` };
  if (await imageExists(client, offline)) return { image: offline, reason: `offline build of Kubernetes ${release.minor} (${release.upstream} is not present)` };
  await ensurePresent(client, release.upstream, `with no registry reachable, ${build}`);
  return { image: release.upstream, reason: `kind ${KIND_RELEASE}'s image of Kubernetes ${release.minor}, pulled` };
}

async function ensurePresent(client: ContainerRuntimeClient, image: string, hint: string): Promise<void> {
  if (await imageExists(client, image)) return;
  try {
    await client.image.pull(ImageName.fromString(image));
  } catch {
    throw new UsageError(`node image ${image} is not present and could not be pulled`, hint);
  }
}
