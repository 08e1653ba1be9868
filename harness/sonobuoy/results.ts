import { existsSync } from "node:fs";
import { cp, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { redact } from "../log/redact.ts";
import { loadBaseline } from "../report/baseline.ts";
import { escapeMarkup as x } from "../report/escape.ts";
import { renderJunit } from "../report/junit.ts";
import type { Outcome, Report } from "../report/model.ts";

/**
 * What the harness hands Sonobuoy when it runs as a Sonobuoy plugin (Sonobuoy sets SONOBUOY_RESULTS_DIR
 * in the plugin's container). Sonobuoy's contract (v0.57, pkg/worker/worker.go): the plugin writes its
 * results under SONOBUOY_RESULTS_DIR, then a file `done` there holding the path of the results; the
 * worker sidecar waits for `done`, tars a directory it names into results.tar.gz, and sends that to the
 * aggregator, which unpacks it as plugins/PLUGIN/results/global/ of the run's tarball. There, for
 * `result-format: junit`, Sonobuoy counts the XML files the plugin definition's `result-files` name
 * (every *.xml without it), so only SONOBUOY_JUNIT_FILE is counted, not the report's own junit.xml.
 *
 *   SONOBUOY_RESULTS_DIR/
 *     done                                   "SONOBUOY_RESULTS_DIR/kube-access-conformance"
 *     kube-access-conformance/
 *       sonobuoy-junit.xml                   fail → <failure>, skip and n/a → <skipped>, pass and warn → passed
 *       report/                              the run's report directory as written: report.json, .md, .html, junit.xml
 */
export const SONOBUOY_RESULTS_SUBDIR = "kube-access-conformance";
export const SONOBUOY_JUNIT_FILE = "sonobuoy-junit.xml";
/** Sonobuoy's JUnit has no "not applicable": a check that does not apply is a skip there, with its reason. */
export const SONOBUOY_SKIPPED: readonly Outcome[] = ["skip", "n/a"];

/** The environment variable Sonobuoy sets in a plugin's containers; set means "running as a Sonobuoy plugin". */
export const SONOBUOY_RESULTS_DIR_VARIABLE = "SONOBUOY_RESULTS_DIR";

/** The JUnit Sonobuoy counts: the report's JUnit with n/a as skipped (fail → failure, warn → passed with its reason). */
export function renderSonobuoyJunit(report: Report): string {
  return renderJunit(report, { skipped: SONOBUOY_SKIPPED });
}

/** What `sonobuoy results` prints for a report under this mapping: Passed, Failed, Skipped and Total. */
export function sonobuoyCounts(report: Report): { total: number; passed: number; failed: number; skipped: number } {
  const s = report.summary;
  const passed = s.pass + s.warn;
  const skipped = s.skip + s["n/a"];
  return { total: passed + s.fail + skipped, passed, failed: s.fail, skipped };
}

/**
 * Puts the run's report into Sonobuoy's results directory and writes `done` (last, and atomically:
 * the worker acts on the file's existence). A run that wrote no report (it stopped on bad input or
 * crashed) still writes `done`, with a JUnit holding one failed test case that says why: without
 * `done` after a failed container, Sonobuoy's worker would wait for the aggregator's timeout (6 h).
 * Returns the directory `done` names.
 */
export async function writeSonobuoyResults(reportDir: string, resultsDir: string, options: { error?: string } = {}): Promise<string> {
  const out = join(resultsDir, SONOBUOY_RESULTS_SUBDIR);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const reportFile = join(reportDir, "report.json");
  let junit: string;
  if (existsSync(reportFile)) {
    await cp(reportDir, join(out, "report"), { recursive: true, dereference: true });
    junit = renderSonobuoyJunit(loadBaseline(reportFile, "report"));
  } else {
    if (existsSync(reportDir)) await cp(reportDir, join(out, "report"), { recursive: true, dereference: true });
    junit = failedRunJunit(options.error ?? `the run wrote no report (no ${reportFile})`);
  }
  await writeFile(join(out, SONOBUOY_JUNIT_FILE), redact(junit));
  const done = join(resultsDir, "done");
  await writeFile(`${done}.tmp`, out);
  await rename(`${done}.tmp`, done);
  return out;
}

/** One failed test case for a run that produced no report, so that Sonobuoy shows the plugin as failed, and why. */
function failedRunJunit(reason: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kube-access-conformance" tests="1" failures="1" skipped="0">\n  <testsuite name="run" tests="1" failures="1" skipped="0">\n    <testcase classname="run" name="kube-access-conformance run" time="0.000"><failure message="${x(reason)}">${x(reason)}</failure></testcase>\n  </testsuite>\n</testsuites>\n`;
}
