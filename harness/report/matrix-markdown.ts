import { cell, MARK } from "./markdown.ts";
import { closingLine } from "./model.ts";
import type { MatrixCell, MatrixReport } from "./matrix-model.ts";

const DIFFERENCE = { result: "result", evidence: "same result, other answers", "doc-drift": "doc-drift note" } as const;

/** matrix.md: the columns, what differs between them first, each column's doc drift, then every check. */
export function renderMatrixMarkdown(matrix: MatrixReport): string {
  const heads = matrix.columns.map((c) => `${c.label}${c.preRelease ? " (pre-release)" : ""}`);
  const header = (first: string[]) => [`| ${[...first, ...heads].join(" | ")} |`, `|${[...first, ...heads].map(() => "---").join("|")}|`];
  const differing = matrix.rows.filter((r) => r.differs);
  const out = [
    "# kube-access-conformance matrix",
    "",
    `Matrix \`${matrix.matrixId}\`, started ${matrix.startedAt}, took ${(matrix.durationMs / 1000).toFixed(1)} s.`,
    "",
    ...header([""]),
    `| Kubernetes | ${matrix.columns.map((c) => c.target?.serverVersion ?? "–").join(" | ")} |`,
    `| cluster | ${matrix.columns.map((c) => (c.target ? cell(c.target.nodeImage ? `\`${c.target.nodeImage}\`` : `${c.target.kind} ${c.target.context}`) : "–")).join(" | ")} |`,
    `| result | ${matrix.columns.map((c) => cell(c.error ? `**did not run:** ${c.error}` : closingLine(c.summary))).join(" | ")} |`,
    `| report | ${matrix.columns.map((c) => (c.error ? `[nodes' logs](${c.reportDir}/logs/)` : `[report.md](${c.reportDir}/report.md)`)).join(" | ")} |`,
    "",
    `## What differs between the columns (${differing.length} of ${matrix.rows.length} checks)`,
    "",
  ];
  if (differing.length === 0) out.push("Nothing: every check has the same result, the same answers and the same doc-drift notes in every column.");
  else {
    out.push(...header(["ID", "difference"]));
    for (const row of differing) out.push(`| ${row.id} | ${DIFFERENCE[row.differs!]} | ${row.cells.map((c) => cell(describe(c, row.differs!))).join(" | ")} |`);
  }
  out.push("", "## Doc drift per column", "");
  for (const [i, column] of matrix.columns.entries()) {
    const drift = matrix.rows.filter((r) => r.cells[i]!.docDrift);
    out.push(`- **${heads[i]}**: ${drift.length ? drift.map((r) => `${r.id} (${cell(r.cells[i]!.docDrift!)})`).join("; ") : column.error ? "did not run" : "none"}`);
  }
  out.push("", "## Every check", "", ...header(["ID"]));
  for (const row of matrix.rows) out.push(`| ${row.differs ? `**${row.id}**` : row.id} | ${row.cells.map((c) => MARK[c.result]).join(" | ")} |`);
  return `${out.join("\n")}\n`;
}

/** A differing cell: its result, the answers behind it, and the reason or drift note that differs. */
function describe(c: MatrixCell, differs: keyof typeof DIFFERENCE): string {
  const answers = c.statuses.length ? ` (answers: ${c.statuses.join(", ")})` : "";
  const note = differs === "doc-drift" ? c.docDrift ?? "no drift" : c.reason ?? "";
  return `${MARK[c.result]}${answers}${note ? `: ${note.slice(0, 160)}` : ""}`;
}
