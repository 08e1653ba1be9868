import { ImageName, type ContainerRuntimeClient } from "testcontainers";
// Not re-exported by the package's index; read lazily there so that RYUK_CONTAINER_IMAGE set at run time counts.
import { getReaperImage } from "testcontainers/build/reaper/reaper.js";
import { imageExists } from "./local-image.ts";

/** Where `npm run images` puts the reaper it builds from the Go module proxy (images/reaper/build.sh). */
export const OFFLINE_REAPER_REPOSITORY = "kac.local/ryuk";

/**
 * Picks the image Testcontainers starts its reaper from: an explicit RYUK_CONTAINER_IMAGE, else its own
 * (testcontainers/ryuk:TAG); where that is absent (no registry) but the offline build of the same tag is
 * present, that one, through RYUK_CONTAINER_IMAGE, Testcontainers' own switch for it. Else Testcontainers
 * pulls its image as usual.
 */
export async function chooseReaperImage(client: ContainerRuntimeClient): Promise<string> {
  const own = getReaperImage();
  if (process.env.RYUK_CONTAINER_IMAGE || (await imageExists(client, own))) return own;
  const offline = `${OFFLINE_REAPER_REPOSITORY}:${ImageName.fromString(own).tag}`;
  if (await imageExists(client, offline)) process.env.RYUK_CONTAINER_IMAGE = offline;
  return getReaperImage();
}
