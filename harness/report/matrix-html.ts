import { escapeMarkup as h } from "./escape.ts";
import { badge, clip, docLink, evidenceFold, filterBar, fix, LABEL, md, page, resultOptions, rowId, SECTIONS, seconds, slug } from "./html-page.ts";
import { difference, matrixClosingLine, type Difference, type MatrixCell, type MatrixColumn, type MatrixReport, type MatrixRow } from "./matrix-model.ts";
import { closingLine, OUTCOMES, type Outcome } from "./model.ts";

const KIND: Record<Difference, { title: string; what: string }> = {
  result: { title: "Result differs", what: "the columns reached different results" },
  evidence: { title: "Evidence differs", what: "the same result, reached through different answers" },
  "doc-drift": { title: "Doc drift differs", what: "the same result and answers, but different documentation-drift notes" },
};

/**
 * matrix.html: one check per row, one column per cluster of the matrix, self-contained. It leads with
 * the columns (and any that did not run), then the rows that differ between columns, grouped by how,
 * then the failures in any column; then a filter bar and one table per catalog section, where a
 * differing row is highlighted and carries every column's evidence, folded, side by side.
 */
export function renderMatrixHtml(matrix: MatrixReport): string {
  const errored = new Set(matrix.columns.flatMap((c, i) => (c.error ? [i] : [])));
  const present = SECTIONS.filter((s) => matrix.rows.some((r) => r.section === s));
  const differing = matrix.rows.filter((r) => r.differs);
  const filters = filterBar([
    { kind: "result", legend: "Result", options: resultOptions((o) => matrix.rows.filter((r) => r.cells.some((c) => c.result === o)).length) },
    { kind: "section", legend: "Section", options: present.map((s) => ({ value: s, label: h(s), count: matrix.rows.filter((r) => r.section === s).length })) },
    { kind: "column", legend: "Column", options: matrix.columns.map((c, i) => ({ value: String(i), label: `${h(c.label)}${c.preRelease ? ` <span class="tag pre">pre-release</span>` : ""}` })) },
    { kind: "differs", legend: "Rows", options: [{ value: "only", label: "only rows that differ", count: differing.length, checked: false }] },
  ]);
  const toc = [
    `<a href="#attention">Needs attention${differing.length ? `<span class="n diff">${differing.length}</span>` : ""}</a>`,
    ...present.map((s) => `<a href="#section-${h(s)}">${h(s)}</a>`),
  ].join("");
  const body = `${header(matrix)}
<nav class="toc">${toc}</nav>
${attention(matrix, errored)}
${filters}
${present.map((s) => section(s, matrix, matrix.rows.filter((r) => r.section === s), errored)).join("\n")}
<footer>kube-access-conformance · matrix ${h(matrix.matrixId)} · ${h(matrix.schema)} · each column's full report is linked from its header</footer>`;
  return page(`kube-access-conformance matrix ${matrix.matrixId}: ${differing.length} of ${matrix.rows.length} checks differ`, body);
}

/** The link to a column's own report, relative to the matrix's directory. */
export function columnReportHref(column: MatrixColumn): string {
  return `${column.reportDir.split("/").map(encodeURIComponent).join("/").replace(/\/$/, "")}/report.html`;
}

function header(matrix: MatrixReport): string {
  const differing = matrix.rows.filter((r) => r.differs).length;
  // Failures of columns that never ran are that column's error, said once in its card.
  const failing = matrix.rows.filter((r) => r.cells.some((c, i) => c.result === "fail" && !matrix.columns[i]!.error)).length;
  const errors = matrix.columns.filter((c) => c.error).length;
  const cards = matrix.columns.map((c) => {
    const v = c.target?.serverVersion;
    const total = OUTCOMES.reduce((n, o) => n + c.summary[o], 0) || 1;
    const bar = OUTCOMES.filter((o) => c.summary[o] > 0).map((o) => `<span class="r-${slug(o)}" style="flex:${c.summary[o]}" title="${h(`${c.summary[o]} ${LABEL[o]}`)}"></span>`).join("");
    return `<div class="col${c.error ? " error" : ""}"><div><span class="label">${h(c.label)}</span>${c.preRelease ? `<span class="tag pre" title="the next minor's pre-release: its differences are a preview, not a verdict">pre-release</span> ` : ""}${c.error ? `<span class="tag bad">did not run</span>` : ""}</div>
<div class="muted">Kubernetes ${v ? h(v) : "unknown"}${c.target?.nodeImage ? ` · node image <code>${h(c.target.nodeImage)}</code>` : ""}</div>
${c.error ? `<div class="err">${h(c.error)}</div>` : ""}
<div class="bar" data-total="${total}">${bar}</div>
<div><strong>${h(closingLine(c.summary))}</strong></div>
<div class="links">${c.error ? `<a href="${h(c.reportDir)}/logs/">Nodes' logs →</a>` : `<a href="${h(columnReportHref(c))}" title="${h(c.reportDir)}/report.html">Full report →</a>`}<span class="muted">took ${seconds(c.durationMs)}</span></div>${c.error ? "" : `<div class="path">${h(c.reportDir)}/report.html</div>`}</div>`;
  }).join("");
  return `<header class="top" style="display:block"><div>
<h1>kube-access-conformance <span class="kind">matrix</span></h1>
<div class="run">matrix <code>${h(matrix.matrixId)}</code> · started ${h(matrix.startedAt)} · took ${seconds(matrix.durationMs)} · ${matrix.columns.length} columns</div>
<div class="verdict"><span class="big ${differing ? "diff" : "ok"}">${differing} of ${matrix.rows.length} differ</span>${failing ? `<span class="big bad">✗ ${failing} fail</span>` : ""}<span>${failing ? `${failing} check${failing === 1 ? "" : "s"} fail in some column` : "no check fails in any column"}${errors ? `, ${errors} column${errors === 1 ? "" : "s"} did not run` : ""}</span></div>
<div class="muted" style="font-size:13px">${h(matrixClosingLine(matrix))}</div>
</div><div class="cols">${cards}</div></header>`;
}

/** Whether a row's difference or failure comes only from columns that never ran. */
function onlyFromErrors(row: MatrixRow, errored: Set<number>): { differs: boolean; fails: boolean } {
  const ran = row.cells.filter((_, i) => !errored.has(i));
  return { differs: Boolean(row.differs) && difference(ran) === undefined, fails: !ran.some((c) => c.result === "fail") };
}

function colHeads(matrix: MatrixReport): string {
  return matrix.columns.map((c, i) => `<th data-col="${i}">${h(c.label)}${c.preRelease ? ` <span class="tag pre">pre-release</span>` : ""}${c.error ? ` <span class="tag bad">did not run</span>` : ""}<div class="muted" style="font-weight:400">${h(c.target?.serverVersion ?? "")}</div></th>`).join("");
}

function attention(matrix: MatrixReport, errored: Set<number>): string {
  const parts: string[] = [];
  for (const i of errored) {
    const c = matrix.columns[i]!;
    parts.push(`<div class="card r-fail"><div class="head"><span class="tag bad">did not run</span><span class="id">${h(c.label)}</span>${c.preRelease ? `<span class="tag pre">pre-release</span>` : ""}</div><div class="why">${h(c.error!)}</div><div class="fix">Its ${matrix.rows.length} checks count as failed. Fix what stopped the column (its cluster, its node image) and run the matrix again; the other columns' results stand.</div></div>`);
  }
  const heads = colHeads(matrix);
  const idCell = (r: MatrixRow) => `<td class="id"><a href="#${h(rowId(r.id))}">${h(r.id)}</a></td>`;
  const titleCell = (r: MatrixRow, extra = "") => `<td class="check">${md(r.title)}${extra}</td>`;

  const kinds = (Object.keys(KIND) as Difference[]).map((kind) => {
    const all = matrix.rows.filter((r) => r.differs === kind);
    const rows = all.filter((r) => !onlyFromErrors(r, errored).differs);
    const explained = all.length - rows.length;
    if (all.length === 0) return "";
    const body = rows.map((r) => `<tr class="differs">${idCell(r)}${titleCell(r)}${r.cells.map((c, i) => {
      const detail = kind === "result" ? (c.reason ? `<div class="why">${h(clip(c.reason, 140))}</div>` : "")
        : kind === "evidence" ? `<div class="statuses">${h(c.statuses.join(" ") || "–")}</div>`
        : c.docDrift ? `<div class="drift bare">${md(c.docDrift)}</div>` : `<div class="why">no doc-drift note</div>`;
      return `<td class="cell r-${slug(c.result)}" data-col="${i}">${badge(c.result)}${detail}</td>`;
    }).join("")}</tr>`);
    const because = `because ${[...errored].map((i) => h(matrix.columns[i]!.label)).join(", ")} did not run`;
    const note = !explained ? "" : rows.length ? `<p class="muted">${explained} further row${explained === 1 ? "" : "s"} differ only ${because}.</p>` : `<p class="muted">${explained === 1 ? "It differs" : `All ${explained} differ`} only ${because}.</p>`;
    return `<h3 id="differs-${kind}"><span class="tag diff">${KIND[kind].title}</span><span class="sub">${all.length} row${all.length === 1 ? "" : "s"}: ${KIND[kind].what}</span></h3>` +
      (body.length ? `<table class="matrix"><thead><tr><th class="idh">ID</th><th class="checkh">check</th>${heads}</tr></thead><tbody>${body.join("")}</tbody></table>` : "") + note;
  }).join("");
  parts.push(kinds || `<p class="all-clear">✓ No row differs between the columns: the same results, the same answers, the same doc-drift notes.</p>`);

  const failing = matrix.rows.filter((r) => r.cells.some((c) => c.result === "fail") && !onlyFromErrors(r, errored).fails);
  if (failing.length) {
    const body = failing.map((r) => `<tr class="r-fail${r.differs ? " differs" : ""}">${idCell(r)}${titleCell(r, `${fix(r.id)}<div class="links">${docLink(r.doc)}</div>`)}${r.cells.map((c, i) =>
      `<td class="cell r-${slug(c.result)}" data-col="${i}">${badge(c.result)}${c.result === "fail" && !errored.has(i) && c.reason ? reasonBlock(c.reason) : ""}</td>`).join("")}</tr>`);
    parts.push(`<h3 id="failures">Failures in any column<span class="sub">${failing.length} check${failing.length === 1 ? "" : "s"}</span></h3><table class="matrix"><thead><tr><th class="idh">ID</th><th class="checkh">check, and how to fix</th>${heads}</tr></thead><tbody>${body.join("")}</tbody></table>`);
  } else {
    parts.push(`<p class="all-clear">✓ No check fails in any column that ran.</p>`);
  }
  const drifting = matrix.rows.filter((r) => r.cells.some((c) => c.docDrift));
  if (drifting.length) {
    const counts = matrix.columns.map((c, i) => `${h(c.label)}: ${drifting.filter((r) => r.cells[i]!.docDrift).length}`).join(", ");
    const body = drifting.map((r) => `<tr${r.differs === "doc-drift" ? ` class="differs"` : ""}>${idCell(r)}${titleCell(r, `<div class="links">${docLink(r.doc)}</div>`)}${r.cells.map((c, i) =>
      `<td class="cell" data-col="${i}">${c.docDrift ? `<div class="drift bare">${md(c.docDrift)}</div>` : `<span class="muted">${errored.has(i) ? "did not run" : "none"}</span>`}</td>`).join("")}</tr>`);
    parts.push(`<h3 id="doc-drift">Documentation drift per column<span class="sub">${drifting.length === 1 ? "1 check follows" : `${drifting.length} checks follow`} Kubernetes where the page differs (${counts})</span></h3><table class="matrix"><thead><tr><th class="idh">ID</th><th class="checkh">check</th>${heads}</tr></thead><tbody>${body.join("")}</tbody></table>`);
  }
  return `<section class="attention" id="attention"><h2>Needs attention</h2>${parts.join("\n")}</section>`;
}

/** A reason in a narrow cell: the first lines shown, the rest folded. */
function reasonBlock(reason: string): string {
  if (reason.length <= 180) return `<div class="why">${h(reason)}</div>`;
  return `<div class="why">${h(clip(reason, 160))}</div><details class="fold"><summary>full reason</summary><pre>${h(reason)}</pre></details>`;
}

function section(name: string, matrix: MatrixReport, rows: MatrixRow[], errored: Set<number>): string {
  const differing = rows.filter((r) => r.differs).length;
  return `<section data-block id="section-${h(name)}"><h2>${h(name)}<span class="sub">${rows.length} checks${differing ? ` · ${differing} differ` : ""}</span></h2>
<table class="checks matrix"><thead><tr><th class="idh">ID</th><th class="checkh">check</th>${colHeads(matrix)}</tr></thead><tbody>
${rows.map((r) => row(r, errored)).join("\n")}
</tbody></table></section>`;
}

function row(r: MatrixRow, errored: Set<number>): string {
  const fails = r.cells.some((c, i) => c.result === "fail" && !errored.has(i));
  const tag = r.differs ? `<div style="margin-top:4px"><span class="tag diff">${h(KIND[r.differs].title)}</span></div>` : "";
  const remedy = fails ? fix(r.id) : "";
  return `<tr id="${h(rowId(r.id))}" class="${r.differs ? "differs" : ""}" data-section="${h(r.section)}"${r.differs ? ` data-differs="${h(r.differs)}"` : ""}>` +
    `<td class="id"><a href="#${h(rowId(r.id))}">${h(r.id)}</a></td>` +
    `<td class="check">${md(r.title)}${tag}${remedy}<div class="links">${docLink(r.doc)}</div></td>` +
    r.cells.map((c, i) => cell(r, c, i, errored.has(i))).join("") + `</tr>`;
}

function cell(r: MatrixRow, c: MatrixCell, col: number, errored: boolean): string {
  const reason = c.reason ? (errored ? `<div class="why">not run: the column did not run</div>` : reasonBlock(c.reason)) : "";
  const drift = c.docDrift ? `<div class="drift">${md(c.docDrift)}</div>` : "";
  const evidence = r.differs && !errored ? `<div class="statuses">statuses: ${h(c.statuses.join(" ") || "–")}</div><div style="margin-top:4px">${evidenceFold(c.evidence ?? [], [], r.id)}</div>` : "";
  return `<td class="cell r-${slug(c.result)}" data-col="${col}" data-result="${h(c.result as Outcome)}">${badge(c.result)}${reason}${drift}${evidence}</td>`;
}
