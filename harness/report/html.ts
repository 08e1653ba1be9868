import { latencyCells } from "../latency/latency.ts";
import { escapeMarkup as h } from "./escape.ts";
import { badge, docLink, evidenceFold, filterBar, fix, LABEL, md, page, resultOptions, rowId, SECTIONS, seconds, slug, summaryStrip } from "./html-page.ts";
import { closingLine, OUTCOMES, type CheckResult, type Report } from "./model.ts";

/** Screenshots a check took, keyed by check ID, as PNG bytes: embedded so the file stands alone. */
export type Screenshots = Map<string, Buffer[]>;

/**
 * report.html: one self-contained page (styles, script and screenshots inline). It leads with what
 * needs attention (regressions, failures with their remediation, warnings, skips, doc drift), then a
 * filter bar, the run-wide tables, and one table per catalog section with each check's evidence folded.
 * With scripts off every row shows and the filter bar stays hidden.
 */
export function renderHtml(report: Report, screenshots: Screenshots = new Map()): string {
  const images = (id: string) => (screenshots.get(id) ?? []).map((png, i) =>
    `<img class="shot" alt="${h(`${id} screenshot ${i + 1}`)}" src="data:image/png;base64,${png.toString("base64")}">`);
  const present = SECTIONS.filter((s) => report.checks.some((c) => c.section === s));
  const toc = [
    `<a href="#attention">Needs attention${report.summary.fail ? `<span class="n">${report.summary.fail}</span>` : ""}</a>`,
    report.proxyKinds?.length ? `<a href="#proxy-kinds">Kinds of proxy</a>` : "",
    report.proxyComparison ? `<a href="#proxy-comparison">Proxy comparison</a>` : "",
    report.latency ? `<a href="#latency">Latency</a>` : "",
    ...present.map((s) => `<a href="#section-${h(s)}">${h(s)}</a>`),
  ].filter(Boolean).join("");
  const filters = filterBar([
    { kind: "result", legend: "Result", options: resultOptions((o) => report.summary[o]) },
    { kind: "section", legend: "Section", options: present.map((s) => ({ value: s, label: h(s), count: report.checks.filter((c) => c.section === s).length })) },
  ]);
  const body = `${header(report)}
<nav class="toc">${toc}</nav>
${attention(report, images)}
${filters}
${kinds(report)}${comparison(report)}${latency(report)}
${present.map((s) => section(s, report.checks.filter((c) => c.section === s), images)).join("\n")}
<footer>kube-access-conformance · run ${h(report.runId)} · ${h(report.schema)} · every catalog check is listed, in catalog order</footer>`;
  return page(`kube-access-conformance report ${report.runId}: ${closingLine(report.summary)}`, body);
}

function header(report: Report): string {
  const t = report.target;
  const bad = report.summary.fail > 0 || (report.regressions?.length ?? 0) > 0 || (report.latencyRegressions?.length ?? 0) > 0;
  const verdict = report.summary.fail > 0 ? `✗ ${report.summary.fail} failed` : bad ? "✗ regressed" : "✓ passed";
  const target = [
    ["Target", `${h(t.kind)} cluster`],
    ["Kubernetes", h(t.serverVersion)],
    t.nodeImage ? ["Node image", `<code>${h(t.nodeImage)}</code>`] : undefined,
    ["Context", `<code>${h(t.context)}</code>`],
    ["Server", `<code>${h(t.server)}</code>`],
    t.clusterStartMs ? ["Cluster start", seconds(t.clusterStartMs)] : undefined,
    report.logs ? ["Nodes' logs", `<a href="${h(report.logs)}/">${h(report.logs)}/</a> <span class="muted">(kubelet, containerd, components, events: a check failed)</span>`] : undefined,
    report.baseline ? ["Baseline", `<code>${h(report.baseline.runId)}</code> <span class="muted">(${h(report.baseline.startedAt)})</span>`] : undefined,
  ].filter((x): x is string[] => x !== undefined).map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("");
  return `<header class="top"><div>
<h1>kube-access-conformance <span class="kind">report</span></h1>
<div class="run">run <code>${h(report.runId)}</code> · started ${h(report.startedAt)} · took ${seconds(report.durationMs)}</div>
<div class="verdict"><span class="big ${bad ? "bad" : "ok"}">${verdict}</span><span>${h(closingLine(report.summary))}</span></div>
${summaryStrip(report.summary)}
</div><dl class="target">${target}</dl></header>`;
}

type Images = (id: string) => string[];

function attention(report: Report, images: Images): string {
  const fails = report.checks.filter((c) => c.result === "fail");
  const notes = report.checks.filter((c) => c.result === "warn" || c.result === "skip");
  const drift = report.checks.filter((c) => c.docDrift);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const parts: string[] = [];

  if (report.baseline) {
    const regressions = report.regressions ?? [];
    const slower = report.latencyRegressions ?? [];
    if (regressions.length || slower.length) {
      const rows = regressions.map((r) => `<tr><td class="id"><a href="#${h(rowId(r.id))}">${h(r.id)}</a></td><td class="res">${badge(r.before)} → ${badge(r.now)}</td><td>${md(byId.get(r.id)?.title ?? "")}${r.reason ? `<div class="why">${h(r.reason)}</div>` : ""}</td></tr>`);
      const slow = slower.map((l) => `<tr><td>${h(l.path)}</td><td>${h(l.metric)}</td><td class="num">${l.beforeMs} ms</td><td class="num">${l.nowMs} ms</td><td class="num">more than ×${l.factor}</td></tr>`);
      parts.push(`<div class="card regress"><h3 id="regressions" style="margin-top:0">Regressions against baseline <code>${h(report.baseline.runId)}</code><span class="sub">${regressions.length} check${regressions.length === 1 ? "" : "s"} got worse${slower.length ? `, ${slower.length} latency figure${slower.length === 1 ? "" : "s"} grew` : ""}</span></h3>` +
        (rows.length ? `<table><thead><tr><th>ID</th><th>before → now</th><th>check, and why</th></tr></thead><tbody>${rows.join("")}</tbody></table>` : "") +
        (slow.length ? `<table class="compact"><thead><tr><th>access path</th><th>metric</th><th class="num">before</th><th class="num">now</th><th class="num">allowed</th></tr></thead><tbody>${slow.join("")}</tbody></table>` : "") + `</div>`);
    } else {
      parts.push(`<p class="all-clear">No regressions against baseline <code>${h(report.baseline.runId)}</code>: every check that passed there still passes, and no access path got slower than allowed.</p>`);
    }
  }

  if (fails.length) {
    parts.push(`<h3 id="failures">Failures<span class="sub">${fails.length} check${fails.length === 1 ? "" : "s"}</span></h3>` + fails.map((c) => failureCard(c, images(c.id))).join(""));
  } else if (!report.baseline || (report.regressions?.length ?? 0) === 0) {
    const ran = report.checks.length - report.summary["not-selected"];
    parts.push(`<p class="all-clear">✓ No failures: ${ran} of ${report.checks.length} checks ran${report.summary["not-selected"] ? ` (${report.summary["not-selected"]} not selected)` : ""}, none failed.</p>`);
  }

  if (notes.length) {
    const rows = notes.map((c) => `<tr class="r-${slug(c.result)}"><td class="res">${badge(c.result)}</td><td class="id"><a href="#${h(rowId(c.id))}">${h(c.id)}</a></td><td>${md(c.title)}<div class="why">${md(c.reason ?? "")}</div></td></tr>`);
    const counts = (["warn", "skip"] as const).map((o) => notes.filter((c) => c.result === o).length ? `${notes.filter((c) => c.result === o).length} ${LABEL[o]}` : "").filter(Boolean).join(", ");
    parts.push(`<h3 id="warnings">Warnings and skips<span class="sub">${counts}</span></h3><table><thead><tr><th>result</th><th>ID</th><th>check, and why</th></tr></thead><tbody>${rows.join("")}</tbody></table>`);
  }

  if (drift.length) {
    const rows = drift.map((c) => `<tr><td class="id"><a href="#${h(rowId(c.id))}">${h(c.id)}</a></td><td class="res">${badge(c.result)}</td><td>${md(c.docDrift!)}<div class="links">${docLink(c.doc)}</div></td></tr>`);
    parts.push(`<h3 id="doc-drift">Documentation drift<span class="sub">${drift.length === 1 ? "1 check follows" : `${drift.length} checks follow`} Kubernetes where the documentation differs</span></h3><table><thead><tr><th>ID</th><th>result</th><th>where Kubernetes differs from the page</th></tr></thead><tbody>${rows.join("")}</tbody></table>`);
  }

  return `<section class="attention" id="attention"><h2>Needs attention</h2>${parts.join("\n")}</section>`;
}

function failureCard(c: CheckResult, shots: string[]): string {
  return `<div class="card r-fail" id="attention-${h(c.id)}"><div class="head">${badge(c.result)}<a class="id" href="#${h(rowId(c.id))}">${h(c.id)}</a><span class="title">${md(c.title)}</span></div>` +
    `<div class="why">${h(c.reason ?? "no reason recorded")}</div>` +
    fix(c.id) +
    `<div class="links"><span>docs: ${docLink(c.doc)}</span><span>section: <a href="#section-${h(c.section)}">${h(c.section)}</a></span></div>` +
    `<div style="margin-top:6px">${evidenceFold(c.evidence, shots)}</div></div>`;
}

function kinds(report: Report): string {
  // The state is coloured through its row (k-STATE), so its cell stays the plain word.
  const rows = (report.proxyKinds ?? []).map((k) =>
    `<tr class="k-${k.state === "detected" ? "detected" : slug(k.state)}"><td>${h(k.kind)}</td><td>${h(k.state)}</td><td>${h(k.basis)}</td><td class="mono">${k.from.map((id) => `<a href="#${h(rowId(id))}">${h(id)}</a>`).join(" ")}</td></tr>`);
  return rows.length ? `<h2 id="proxy-kinds">The kinds of proxy<span class="sub">access-cluster#many-proxies</span></h2><table class="kinds"><thead><tr><th>proxy</th><th>result</th><th>basis</th><th>checks</th></tr></thead><tbody>${rows.join("")}</tbody></table>` : "";
}

function comparison(report: Report): string {
  if (!report.proxyComparison) return "";
  const differing = report.proxyComparison.filter((r) => r.differs).length;
  const rows = report.proxyComparison.map((r) => `<tr class="${r.differs ? "r-fail" : ""}"><td class="id"><a href="#${h(rowId(r.id))}">${h(r.id)}</a></td><td class="mono">${h(r.kubectlProxy || "–")}</td><td class="mono">${h(r.proxyUnderTest)}</td><td>${r.differs ? `<span class="badge r-fail">differs</span> ${h(r.difference ?? "")}` : `<span class="badge r-pass">same</span>`}</td></tr>`);
  return `<h2 id="proxy-comparison">kubectl proxy and the proxy under test<span class="sub">${differing} of ${report.proxyComparison.length} differ</span></h2><table><thead><tr><th>ID</th><th>kubectl proxy</th><th>proxy under test</th><th>difference</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function latency(report: Report): string {
  if (!report.latency) return "";
  const rows = report.latency.map((l) => {
    const [requests, p50, p95, overhead] = latencyCells(l);
    return `<tr><td>${h(l.path)}</td><td class="num">${h(requests)}</td><td class="num">${h(p50)}</td><td class="num">${h(p95)}</td><td${"unmeasured" in l ? "" : ` class="num"`}>${h(overhead)}</td></tr>`;
  });
  return `<h2 id="latency">Latency per access path</h2><table class="compact"><thead><tr><th>path</th><th class="num">requests</th><th class="num">p50</th><th class="num">p95</th><th class="num">overhead vs direct</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function section(name: string, checks: CheckResult[], images: Images): string {
  const counts = OUTCOMES.map((o) => [o, checks.filter((c) => c.result === o).length] as const).filter(([, n]) => n > 0).map(([o, n]) => `${n} ${LABEL[o]}`).join(" · ");
  return `<section data-block id="section-${h(name)}"><h2>${h(name)}<span class="sub">${checks.length} checks · ${counts}</span></h2>
<table class="checks"><thead><tr><th>ID</th><th>result</th><th>check</th><th>evidence</th></tr></thead><tbody>
${checks.map((c) => row(c, images(c.id))).join("\n")}
</tbody></table></section>`;
}

function row(c: CheckResult, shots: string[]): string {
  const why = c.reason ? `<div class="why">${md(c.reason)}</div>` : "";
  const drift = c.docDrift ? `<div class="drift">${md(c.docDrift)}</div>` : "";
  const remedy = c.result === "fail" ? fix(c.id) : "";
  return `<tr id="${h(rowId(c.id))}" class="r-${slug(c.result)}" data-result="${h(c.result)}" data-section="${h(c.section)}">` +
    `<td class="id"><a href="#${h(rowId(c.id))}">${h(c.id)}</a></td>` +
    `<td class="res">${badge(c.result)}<div class="muted" style="font-size:12px">${seconds(c.durationMs)}</div></td>` +
    `<td class="check"><div>${md(c.title)}</div>${why}${drift}${remedy}<div class="links">${docLink(c.doc)}</div></td>` +
    `<td class="ev">${evidenceFold(c.evidence, shots)}</td></tr>`;
}
