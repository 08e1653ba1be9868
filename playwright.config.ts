import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

/** ".ts" in a checkout, ".js" in the installed package (dist/). */
const EXTENSION = import.meta.url.endsWith(".js") ? ".js" : ".ts";

/**
 * The suite that waits longest: PX-05 holds a watch idle for 75 s while its other checks run. Started
 * last it would be the run's tail; Playwright hands out a phase's files project by project, so it is a
 * project of its own, listed first.
 */
const LONGEST_SUITE = `proxy-contract.spec${EXTENSION}`;

/**
 * The suites run against the target the CLI selected (KAC_RUN_FILE); run them through
 * `kube-access-conformance run` or `npm test`, not with a bare `playwright test`.
 */
export default defineConfig({
  testDir: "suites",
  testMatch: `*.spec${EXTENSION}`,
  projects: [
    { name: "longest first", testMatch: LONGEST_SUITE },
    { name: "suites", testIgnore: LONGEST_SUITE },
  ],
  // Playwright's own scratch files go to the run's private work directory, never next to the suites
  // (which, installed, are inside node_modules).
  outputDir: join(process.env.KAC_WORK_DIR || tmpdir(), "playwright"),
  // Each suite works in a namespace of its own, so suites may run side by side; checks within a suite
  // share that namespace's fixtures and run in order.
  fullyParallel: false,
  // workers: the harness passes --workers (run --workers, DEFAULT_WORKERS in harness/run/suite-runner.ts).
  retries: 0,
  timeout: 120_000,
  reporter: [
    ["list"],
    [`./harness/report/playwright-reporter${EXTENSION}`],
    // Inside a Sonobuoy plugin: a progress update per finished check to the worker beside it.
    ...(process.env.SONOBUOY_PROGRESS_PORT ? [[`./harness/sonobuoy/progress-reporter${EXTENSION}`] as [string]] : []),
  ],
  use: {
    // Debian's Chromium: no browser download is possible on machines without internet.
    launchOptions: { executablePath: process.env.KAC_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] },
  },
});
