import { CATALOG } from "../catalog/catalog.ts";
import { latencyCells } from "../latency/latency.ts";
import { escapeMarkup as h } from "./escape.ts";
import { closingLine, type CheckResult, type Report } from "./model.ts";

/** Screenshots a check took, keyed by check ID, as PNG bytes: embedded so the file stands alone. */
export type Screenshots = Map<string, Buffer[]>;

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2em}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
.pass{background:#e6f4ea}.fail{background:#fce8e6}.warn{background:#fef7e0}.skip,.n\\/a{background:#f1f3f4}.not-selected{color:#888}
code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;margin:0}img{max-width:480px;border:1px solid #999;display:block;margin-top:4px}`;

/** report.html: one self-contained page (styles and screenshots inline), no scripts. */
export function renderHtml(report: Report, screenshots: Screenshots = new Map()): string {
  const t = report.target;
  const sections = [...new Set(CATALOG.map((e) => e.section))].map((section) => {
    const rows = report.checks.filter((c) => c.section === section).map((c) => row(c, screenshots.get(c.id) ?? []));
    return rows.length ? `<h2>${h(section)}</h2><table><tr><th>ID</th><th>Result</th><th>Check</th><th>Evidence</th></tr>${rows.join("")}</table>` : "";
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>kube-access-conformance report ${h(report.runId)}</title><style>${STYLE}</style></head><body>
<h1>kube-access-conformance report</h1>
<p>Run <code>${h(report.runId)}</code>, started ${h(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s.
Target: ${h(t.kind)} cluster, context <code>${h(t.context)}</code>, server ${h(t.server)}, Kubernetes ${h(t.serverVersion)}${t.nodeImage ? `, node image <code>${h(t.nodeImage)}</code>` : ""}.</p>
<p><strong>${h(closingLine(report.summary))}</strong></p>
${regressions(report)}${kinds(report)}${comparison(report)}${latency(report)}${sections.join("\n")}
</body></html>
`;
}

function regressions(report: Report): string {
  if (!report.baseline) return "";
  const rows = (report.regressions ?? []).map((r) => `<tr class="fail"><td>${h(r.id)}</td><td>${h(r.before)}</td><td>${h(r.now)}</td><td>${h(r.reason ?? "")}</td></tr>`);
  const slower = (report.latencyRegressions ?? []).map((l) => `<tr class="fail"><td>${h(l.path)}</td><td>${h(`${l.metric} ${l.beforeMs} ms`)}</td><td>${h(`${l.nowMs} ms`)}</td><td>${h(`more than ×${l.factor}`)}</td></tr>`);
  return `<h2>Regressions against baseline <code>${h(report.baseline.runId)}</code></h2>` +
    (rows.length ? `<table><tr><th>ID</th><th>before</th><th>now</th><th>why</th></tr>${rows.join("")}</table>` : "<p>None: every check that passed in the baseline still passes.</p>") +
    (slower.length ? `<table><tr><th>access path</th><th>latency before</th><th>now</th><th>allowed</th></tr>${slower.join("")}</table>` : "");
}

function kinds(report: Report): string {
  const rows = (report.proxyKinds ?? []).map((k) => `<tr class="${k.state === "detected" ? "warn" : h(k.state)}"><td>${h(k.kind)}</td><td>${h(k.state)}</td><td>${h(k.basis)}</td><td>${h(k.from.join(" "))}</td></tr>`);
  return rows.length ? `<h2>The kinds of proxy</h2><table><tr><th>proxy</th><th>result</th><th>basis</th><th>checks</th></tr>${rows.join("")}</table>` : "";
}

function comparison(report: Report): string {
  if (!report.proxyComparison) return "";
  const rows = report.proxyComparison.map((r) => `<tr class="${r.differs ? "fail" : "pass"}"><td>${h(r.id)}</td><td>${h(r.kubectlProxy)}</td><td>${h(r.proxyUnderTest)}</td><td>${r.differs ? `differs: ${h(r.difference ?? "")}` : "same"}</td></tr>`);
  return `<h2>kubectl proxy and the proxy under test</h2><table><tr><th>ID</th><th>kubectl proxy</th><th>proxy under test</th><th>difference</th></tr>${rows.join("")}</table>`;
}

function latency(report: Report): string {
  if (!report.latency) return "";
  const rows = report.latency.map((l) => `<tr>${[l.path, ...latencyCells(l)].map((c) => `<td>${h(c)}</td>`).join("")}</tr>`);
  return `<h2>Latency per access path</h2><table><tr><th>path</th><th>requests</th><th>p50</th><th>p95</th><th>overhead vs direct</th></tr>${rows.join("")}</table>`;
}

function row(check: CheckResult, shots: Buffer[]): string {
  const why = [check.reason, check.docDrift && `doc drift: ${check.docDrift}`].filter(Boolean).map((s) => `<div>${h(s!)}</div>`).join("");
  const evidence = check.evidence.map((e) =>
    `<pre>${h(`${e.request}\n→ ${e.status} in ${e.durationMs} ms${e.note ? ` (${e.note})` : ""}\n${e.excerpt}`)}</pre>`).join("");
  const images = shots.map((png, i) => `<img alt="${h(`${check.id} screenshot ${i + 1}`)}" src="data:image/png;base64,${png.toString("base64")}">`).join("");
  return `<tr class="${h(check.result)}"><td>${h(check.id)}</td><td>${h(check.result)}${why}</td><td>${h(check.title)}<br><a href="${h(check.doc.url)}">${h(check.doc.anchor || check.doc.page)}</a></td><td>${evidence}${images}</td></tr>`;
}
