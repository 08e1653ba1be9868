import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's (or the installed package's) root: the suites, their snippets and the Playwright config live under it. */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SUITES_DIR = join(PROJECT_ROOT, "suites");
/** The documented client snippets (suites/clients/<language>), built by harness/clients before the checks run them. */
export const CLIENT_SNIPPETS_DIR = join(SUITES_DIR, "clients");
