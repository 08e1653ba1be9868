import { CATALOG } from "../catalog/catalog.ts";
import { latencyCells } from "../latency/latency.ts";
import { closingLine, type CheckResult, type Report } from "./model.ts";

export const MARK: Record<CheckResult["result"], string> = { pass: "✅ pass", fail: "❌ fail", warn: "⚠️ warn", skip: "⏭️ skip", "n/a": "➖ n/a", "not-selected": "· not selected" };

/** report.md: a summary and one table per catalog section, readable on GitHub. */
export function renderMarkdown(report: Report): string {
  const out = [
    "# kube-access-conformance report",
    "",
    `Run \`${report.runId}\`, started ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(1)} s.`,
    "",
    `Target: ${report.target.kind} cluster, context \`${report.target.context}\`, server ${report.target.server}, Kubernetes ${report.target.serverVersion}` +
      (report.target.nodeImage ? `, node image \`${report.target.nodeImage}\`` : "") +
      (report.target.clusterStartMs ? `, cluster start ${(report.target.clusterStartMs / 1000).toFixed(1)} s` : "") + "." +
      (report.logs ? ` A check failed: the nodes' logs (kubelet, containerd, components, events) are in [${report.logs}/](${report.logs}/).` : ""),
    "",
    `**${closingLine(report.summary)}** (${Object.entries(report.summary).map(([k, v]) => `${k} ${v}`).join(", ")})`,
  ];
  if (report.baseline) {
    const regressions = report.regressions ?? [];
    out.push("", `## Regressions against baseline \`${report.baseline.runId}\``, "");
    if (regressions.length === 0) out.push("None: every check that passed in the baseline still passes.");
    else out.push("| ID | before | now | why |", "|---|---|---|---|", ...regressions.map((r) => `| ${r.id} | ${r.before} | ${r.now} | ${cell(r.reason ?? "")} |`));
    const slower = report.latencyRegressions ?? [];
    if (slower.length) out.push("", "| access path | latency before | now | allowed |", "|---|---|---|---|", ...slower.map((l) => `| ${l.path} | ${l.metric} ${l.beforeMs} ms | ${l.nowMs} ms | ×${l.factor} |`));
  }
  if (report.proxyKinds?.length) {
    out.push("", "## The kinds of proxy", "", "| proxy | result | basis | checks |", "|---|---|---|---|");
    for (const k of report.proxyKinds) out.push(`| ${k.kind} | ${k.state} | ${cell(k.basis)} | ${k.from.join(" ")} |`);
  }
  if (report.latency) {
    out.push("", "## Latency per access path", "", "| path | requests | p50 | p95 | overhead vs direct |", "|---|---|---|---|---|");
    for (const l of report.latency) out.push(`| ${[l.path, ...latencyCells(l)].map(cell).join(" | ")} |`);
  }
  if (report.proxyComparison) {
    out.push("", "## kubectl proxy and the proxy under test", "", "| ID | kubectl proxy | proxy under test | difference |", "|---|---|---|---|");
    for (const row of report.proxyComparison) out.push(`| ${row.id} | ${row.kubectlProxy || "–"} | ${row.proxyUnderTest} | ${row.differs ? `**differs**: ${cell(row.difference ?? "")}` : "same"} |`);
  }
  const sections = [...new Set(CATALOG.map((e) => e.section))];
  for (const section of sections) {
    const rows = report.checks.filter((c) => c.section === section);
    if (rows.length === 0) continue;
    out.push("", `## ${section}`, "", "| ID | Result | Check | Evidence | Docs |", "|---|---|---|---|---|");
    for (const check of rows) {
      const why = [check.reason, check.docDrift ? `**doc drift:** ${check.docDrift}` : undefined].filter(Boolean).join("<br>");
      const evidence = check.evidence.slice(0, 3).map((e) => `\`${cell(e.request)}\` → ${cell(String(e.status))} (${e.durationMs} ms)`).join("<br>");
      out.push(`| ${check.id} | ${MARK[check.result]}${why ? `<br>${cell(why)}` : ""} | ${cell(check.title)} | ${evidence} | [${check.doc.anchor || check.doc.page}](${check.doc.url}) |`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** Table cells cannot hold pipes or line breaks. */
export function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
