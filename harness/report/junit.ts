import { escapeMarkup as x } from "./escape.ts";
import type { Outcome, Report } from "./model.ts";

export interface JunitOptions {
  /**
   * The outcomes written as <skipped message="reason">: `skip` alone by default, as warn and n/a are
   * accepted results (passed, with their reason in system-out). The Sonobuoy plugin's JUnit adds `n/a`.
   */
  skipped?: readonly Outcome[];
}

/**
 * junit.xml for CI systems: one testsuite per catalog section, one testcase per check. warn and n/a
 * count as passed (the catalog accepts them) but keep their reason in system-out, unless
 * `options.skipped` names them. Checks the selection left out are not test cases of this run.
 */
export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const skipping = new Set<Outcome>(options.skipped ?? ["skip"]);
  const ran = report.checks.filter((c) => c.result !== "not-selected");
  const sections = [...new Set(ran.map((c) => c.section))];
  const suites = sections.map((section) => {
    const checks = ran.filter((c) => c.section === section);
    const cases = checks.map((c) => {
      const name = `${c.id} ${c.title}`;
      const time = (c.durationMs / 1000).toFixed(3);
      const evidence = c.evidence.map((e) => `${e.request} -> ${e.status} (${e.durationMs} ms) ${e.excerpt}`).join("\n");
      const body = c.result === "fail"
        ? `<failure message="${x(c.reason ?? "failed")}">${x(evidence)}</failure>`
        : skipping.has(c.result)
          ? `<skipped message="${x(c.reason ?? (c.result === "skip" ? "skipped" : c.result))}"/>`
          : `<system-out>${x([c.result, c.reason, c.docDrift && `doc drift: ${c.docDrift}`, evidence].filter(Boolean).join("\n"))}</system-out>`;
      return `    <testcase classname="${x(section)}" name="${x(name)}" time="${time}">${body}</testcase>`;
    });
    const failures = checks.filter((c) => c.result === "fail").length;
    const skipped = checks.filter((c) => skipping.has(c.result)).length;
    return `  <testsuite name="${x(section)}" tests="${checks.length}" failures="${failures}" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  // The kinds of proxy as properties of the first testsuite: a testsuite without test cases of their
  // own would be counted as a passed test by some readers (Sonobuoy does).
  const kinds = (report.proxyKinds ?? []).map((k) => `      <property name="${x(k.kind)}" value="${x(`${k.state}: ${k.basis}`)}"/>`);
  if (kinds.length && suites.length) suites[0] = suites[0]!.replace(/^(  <testsuite [^>]*>)\n/, `$1\n    <properties>\n${kinds.join("\n")}\n    </properties>\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kube-access-conformance" tests="${ran.length}" failures="${report.summary.fail}" skipped="${ran.filter((c) => skipping.has(c.result)).length}">\n${suites.join("\n")}\n</testsuites>\n`;
}
