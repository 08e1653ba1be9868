import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root, or the installed package's `dist/`: the suites, their snippets, the Playwright
 * config, the default kind-config.yaml and the image builds all live under it, in the same layout.
 */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** ".ts" when running from a checkout (Node strips the types), ".js" in the installed package. */
export const SOURCE_EXTENSION = import.meta.url.endsWith(".js") ? ".js" : ".ts";
export const SUITES_DIR = join(PROJECT_ROOT, "suites");
/** The documented client snippets (suites/clients/<language>), built by harness/clients before the checks run them. */
export const CLIENT_SNIPPETS_DIR = join(SUITES_DIR, "clients");
export const PLAYWRIGHT_CONFIG = join(PROJECT_ROOT, `playwright.config${SOURCE_EXTENSION}`);
/** The default cluster shape, used where the working directory has no kind-config.yaml of its own. */
export const DEFAULT_KIND_CONFIG = join(PROJECT_ROOT, "kind-config.yaml");
/** How a user builds the offline images: the npm script in a checkout, the shipped script when installed. */
export const IMAGES_BUILD_COMMAND = SOURCE_EXTENSION === ".ts" ? "npm run images" : `bash ${join(PROJECT_ROOT, "images", "build.sh")}`;
/** The same for one Kubernetes version's node image (e.g. v1.35.4). */
export function imagesBuildCommandFor(version: string): string {
  return `${IMAGES_BUILD_COMMAND}${SOURCE_EXTENSION === ".ts" ? " --" : ""} ${version}`;
}
/** The package's version: package.json at the checkout's root, or above the installed package's dist/. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync([join(PROJECT_ROOT, "package.json"), join(PROJECT_ROOT, "..", "package.json")].find(existsSync)!, "utf8")) as { version: string }).version;
/** The harness image of this version (images/harness/build.sh), for the in-cluster Job and the Sonobuoy plugin. */
export const DEFAULT_HARNESS_IMAGE = `kac.local/harness:${PACKAGE_VERSION}`;
