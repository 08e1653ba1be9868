import { escapeMarkup as x } from "./escape.ts";
import type { Report } from "./model.ts";

/**
 * junit.xml for CI systems: one testsuite per catalog section, one testcase per check. warn and n/a
 * count as passed (the catalog accepts them) but keep their reason in system-out. Checks the selection
 * left out are not test cases of this run.
 */
export function renderJunit(report: Report): string {
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
        : c.result === "skip"
          ? `<skipped message="${x(c.reason ?? "skipped")}"/>`
          : `<system-out>${x([c.result, c.reason, c.docDrift && `doc drift: ${c.docDrift}`, evidence].filter(Boolean).join("\n"))}</system-out>`;
      return `    <testcase classname="${x(section)}" name="${x(name)}" time="${time}">${body}</testcase>`;
    });
    const failures = checks.filter((c) => c.result === "fail").length;
    const skipped = checks.filter((c) => c.result === "skip").length;
    return `  <testsuite name="${x(section)}" tests="${checks.length}" failures="${failures}" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kube-access-conformance" tests="${ran.length}" failures="${report.summary.fail}" skipped="${report.summary.skip}">\n${suites.join("\n")}\n</testsuites>\n`;
}
