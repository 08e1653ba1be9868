import { CATALOG } from "../catalog/catalog.ts";
import { remediationFor } from "../catalog/remediation.ts";
import type { Evidence } from "../ground/evidence.ts";
import { escapeMarkup as h } from "./escape.ts";
import { OUTCOMES, type CheckResult, type Outcome } from "./model.ts";

/**
 * The page chrome report.html and matrix.html share: styles, the filter script, result badges, the
 * evidence fold. Both pages stand alone (no external resources) and read fully with scripts off: the
 * script only adds the filter bar and hides rows on request.
 */

/** The catalog's sections, in catalog order. */
export const SECTIONS: readonly CheckResult["section"][] = [...new Set(CATALOG.map((e) => e.section))];

/** A CSS-safe name per result ("n/a" is not a class name). */
export function slug(outcome: Outcome): string {
  return outcome === "n/a" ? "na" : outcome;
}

/** How a result is spelled on the page. */
export const LABEL: Record<Outcome, string> = { pass: "pass", fail: "fail", warn: "warn", skip: "skip", "n/a": "n/a", "not-selected": "not selected" };
const ICON: Record<Outcome, string> = { pass: "✓", fail: "✗", warn: "!", skip: "»", "n/a": "–", "not-selected": "·" };

/** A coloured result badge. */
export function badge(outcome: Outcome, text = LABEL[outcome]): string {
  return `<span class="badge r-${slug(outcome)}"><span aria-hidden="true">${ICON[outcome]}</span> ${h(text)}</span>`;
}

/** Escapes text and shows the catalog's `backtick` spans as code. */
export function md(text: string): string {
  return h(text).replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

/** The documentation link of a check: page#anchor, to kubernetes.io. */
export function docLink(doc: CheckResult["doc"]): string {
  return `<a class="doc" href="${h(doc.url)}" title="${h(doc.url)}">${h(doc.page)}${doc.anchor ? `#${h(doc.anchor)}` : ""}</a>`;
}

/**
 * The remediation line of a failing check (what usually causes it, where to look). A report from an
 * older catalog may name an ID the catalog no longer has: then there is no line, rather than no page.
 */
export function fix(id: string): string {
  let line: string;
  try {
    line = remediationFor(id);
  } catch {
    return "";
  }
  return `<div class="fix">${md(line)}</div>`;
}

/** The anchor ID of a check's row. */
export function rowId(id: string): string {
  return `check-${id}`;
}

export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** The evidence list itself: request, status, time, note, excerpt. */
export function evidenceList(evidence: Evidence[], images: string[] = []): string {
  const items = evidence.map((e) => {
    const meta = [e.path && `via ${e.path}`, `${e.durationMs} ms`, e.note].filter(Boolean).map((m) => h(m!)).join(" · ");
    return `<li><div class="req"><span class="status">${h(String(e.status))}</span><code>${h(e.request)}</code></div>` +
      `<div class="meta">${meta}</div>${e.excerpt ? `<pre>${h(e.excerpt)}</pre>` : ""}</li>`;
  });
  return `${items.length ? `<ol class="evidence">${items.join("")}</ol>` : ""}${images.join("")}`;
}

/**
 * The evidence of a check folded until asked: the summary says how many entries and what the first
 * request got. `sync` opens the folds of one matrix row together (where scripts run).
 */
export function evidenceFold(evidence: Evidence[], images: string[] = [], sync?: string): string {
  if (evidence.length === 0 && images.length === 0) return `<span class="muted">no evidence recorded</span>`;
  const first = evidence[0];
  const parts = [
    evidence.length ? `${evidence.length} evidence ${evidence.length === 1 ? "entry" : "entries"}` : "",
    images.length ? `${images.length} screenshot${images.length === 1 ? "" : "s"}` : "",
  ].filter(Boolean).join(", ");
  const firstLine = first ? ` <span class="first">(${h(clip(first.request, 70))} → ${h(String(first.status))})</span>` : "";
  return `<details class="fold"${sync ? ` data-sync="${h(sync)}"` : ""}><summary>${parts}${firstLine}</summary>${evidenceList(evidence, images)}</details>`;
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Counts per result, as a stacked bar and a row of badges. */
export function summaryStrip(summary: Record<Outcome, number>): string {
  const total = OUTCOMES.reduce((n, o) => n + summary[o], 0) || 1;
  const bar = OUTCOMES.filter((o) => summary[o] > 0)
    .map((o) => `<span class="r-${slug(o)}" style="flex:${summary[o]}" title="${h(`${summary[o]} ${LABEL[o]}`)}"></span>`).join("");
  const counts = OUTCOMES.map((o) => `<span class="count${summary[o] ? "" : " zero"}">${badge(o, `${summary[o]} ${LABEL[o]}`)}</span>`).join("");
  return `<div class="bar" role="img" aria-label="${h(OUTCOMES.map((o) => `${summary[o]} ${LABEL[o]}`).join(", "))}" data-total="${total}">${bar}</div><div class="counts">${counts}</div>`;
}

/**
 * The filter bar, hidden until the script shows it (with scripts off every row shows and the bar
 * would do nothing). Rows the filters act on are `tr[data-section]`; a row's results are its own
 * `data-result`, or those of its cells (`td[data-result][data-col]`) in columns still shown.
 */
export function filterBar(groups: { kind: string; legend: string; options: { value: string; label: string; count?: number; checked?: boolean }[] }[], extra = ""): string {
  const fieldsets = groups.map((g) => `<fieldset><legend>${h(g.legend)}</legend>${g.options.map((o) =>
    `<label${o.count === 0 ? ` class="zero"` : ""}><input type="checkbox" data-kind="${h(g.kind)}" value="${h(o.value)}"${o.checked === false ? "" : " checked"}>${o.label}${o.count === undefined ? "" : ` <span class="n">${o.count}</span>`}</label>`).join("")}</fieldset>`).join("");
  return `<div id="filters" class="filters" hidden><div class="filter-head"><strong>Filter</strong><span id="shown" class="muted"></span><button type="button" id="reset">Show all</button></div>${fieldsets}${extra}</div>`;
}

/** Result filter options with counts. */
export function resultOptions(count: (o: Outcome) => number): { value: string; label: string; count: number }[] {
  return OUTCOMES.map((o) => ({ value: o, label: badge(o), count: count(o) }));
}

const SCRIPT = `(function(){
var bar=document.getElementById("filters");if(!bar)return;bar.hidden=false;
var all=function(sel,root){return Array.prototype.slice.call((root||document).querySelectorAll(sel));};
var rows=all("tr[data-section]"),blocks=all("[data-block]"),shown=document.getElementById("shown");
function state(kind){var s={};all('input[data-kind="'+kind+'"]',bar).forEach(function(i){s[i.value]=i.checked;});return s;}
function apply(){
var res=state("result"),sec=state("section"),col=state("column"),only=state("differs").only===true,n=0;
all("[data-col]").forEach(function(el){el.style.display=col[el.getAttribute("data-col")]===false?"none":"";});
rows.forEach(function(r){
var carriers=r.hasAttribute("data-result")?[r]:all("td[data-result]",r).filter(function(c){return col[c.getAttribute("data-col")]!==false;});
var ok=sec[r.getAttribute("data-section")]!==false&&carriers.some(function(c){return res[c.getAttribute("data-result")]!==false;})&&(!only||r.hasAttribute("data-differs"));
r.hidden=!ok;if(ok)n++;});
blocks.forEach(function(b){b.hidden=all("tr[data-section]",b).every(function(r){return r.hidden;});});
if(shown)shown.textContent="showing "+n+" of "+rows.length+" checks";}
bar.addEventListener("change",apply);
document.getElementById("reset").addEventListener("click",function(){all("input[data-kind]",bar).forEach(function(i){i.checked=i.value!=="only";});apply();});
document.addEventListener("toggle",function(e){var d=e.target,k=d&&d.getAttribute&&d.getAttribute("data-sync");if(!k)return;
all("details[data-sync]").forEach(function(o){if(o!==d&&o.getAttribute("data-sync")===k&&o.open!==d.open)o.open=d.open;});},true);
apply();})();`;

const STYLE = `:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--bg:#fff;--link:#0969da;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;--skip:#59636e;--skip-bg:#eaeef2;--na:#6e7781;--na-bg:#f6f8fa;--ns:#8c959f;--ns-bg:transparent;--accent:#8250df}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--soft:#151b23;--bg:#0d1117;--link:#4493f8;
--pass:#3fb950;--pass-bg:#12261e;--fail:#f85149;--fail-bg:#2d1214;--warn:#d29922;--warn-bg:#272115;--skip:#9198a1;--skip-bg:#212830;--na:#9198a1;--na-bg:#151b23;--ns:#656c76;--accent:#ab7df8}}
*{box-sizing:border-box}
body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
main{max-width:1400px;margin:0 auto;padding:20px 28px 60px}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:22px;margin:0 0 2px;font-weight:600}h1 .kind{color:var(--muted);font-weight:400}
h2{font-size:18px;font-weight:600;margin:36px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;font-weight:600;margin:22px 0 8px}
h2 .sub,h3 .sub{font-size:13px;font-weight:400;color:var(--muted);margin-left:8px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
code{background:var(--soft);border-radius:4px;padding:1px 4px}
pre{white-space:pre-wrap;word-break:break-word;margin:4px 0 0;padding:6px 8px;background:var(--soft);border:1px solid var(--line);border-radius:6px;max-height:16em;overflow:auto}
.muted{color:var(--muted)}
header.top{display:flex;flex-wrap:wrap;gap:10px 24px;align-items:flex-start;justify-content:space-between;padding-bottom:14px;border-bottom:1px solid var(--line)}
.run{color:var(--muted);font-size:13px}
.verdict{font-size:17px;font-weight:600;margin:12px 0 8px;display:flex;align-items:center;gap:10px}
.verdict .big{display:inline-block;border-radius:6px;padding:2px 10px;color:#fff}
.verdict .big.ok{background:var(--pass)}.verdict .big.bad{background:var(--fail)}.verdict .big.diff{background:var(--accent)}
dl.target{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 0;font-size:13px}
dl.target dt{color:var(--muted)}dl.target dd{margin:0}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;margin:10px 0 8px;background:var(--soft);max-width:720px}
.bar span{display:block;min-width:3px}
.bar .r-pass{background:var(--pass)}.bar .r-fail{background:var(--fail)}.bar .r-warn{background:var(--warn)}.bar .r-skip{background:var(--skip)}.bar .r-na{background:var(--line)}.bar .r-not-selected{background:var(--soft)}
.counts{display:flex;flex-wrap:wrap;gap:6px}.counts .zero{opacity:.45}
nav.toc{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:8px 0;margin-bottom:4px;font-size:13px;display:flex;flex-wrap:wrap;gap:4px 14px}
nav.toc a{color:var(--muted)}nav.toc a:hover{color:var(--link)}nav.toc .n{font-size:11px;border-radius:8px;padding:0 6px;margin-left:3px;background:var(--fail);color:#fff}nav.toc .n.diff{background:var(--accent)}
.badge{display:inline-block;white-space:nowrap;border-radius:12px;padding:0 8px;font-size:12px;font-weight:600;line-height:20px;border:1px solid transparent}
.badge.r-pass{color:var(--pass);background:var(--pass-bg);border-color:color-mix(in srgb,var(--pass) 30%,transparent)}
.badge.r-fail{color:var(--fail);background:var(--fail-bg);border-color:color-mix(in srgb,var(--fail) 35%,transparent)}
.badge.r-warn{color:var(--warn);background:var(--warn-bg);border-color:color-mix(in srgb,var(--warn) 35%,transparent)}
.badge.r-skip{color:var(--skip);background:var(--skip-bg);border-color:var(--line)}
.badge.r-na{color:var(--na);background:var(--na-bg);border-color:var(--line)}
.badge.r-not-selected{color:var(--ns);background:transparent;border-color:var(--line);font-weight:400}
.tag{display:inline-block;font-size:11px;font-weight:600;border-radius:4px;padding:0 6px;line-height:18px;vertical-align:middle;text-transform:uppercase;letter-spacing:.03em}
.tag.pre{background:var(--warn-bg);color:var(--warn);border:1px dashed var(--warn)}
.tag.bad{background:var(--fail);color:#fff}
.tag.diff{background:var(--accent);color:#fff}
section.attention{margin-top:20px}
.all-clear{border:1px solid color-mix(in srgb,var(--pass) 40%,transparent);background:var(--pass-bg);border-radius:8px;padding:10px 14px}
.card{border:1px solid var(--line);border-left:4px solid var(--line);border-radius:8px;padding:10px 14px;margin:0 0 10px;background:var(--bg)}
.card.r-fail{border-left-color:var(--fail)}.card.r-warn{border-left-color:var(--warn)}.card.regress{border-left-color:var(--fail)}
.card .head{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px}
.card .head .id{font-weight:600;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.card .title{color:var(--fg)}
.card .why,.why{white-space:pre-wrap;word-break:break-word;margin:6px 0 0;font-size:13px}
.card .why{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:var(--fail-bg);border-radius:6px;padding:6px 8px}
.fix{margin:6px 0 0;font-size:13px}.fix::before{content:"How to fix";font-weight:600;font-size:11px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);margin-right:8px}
.drift{margin:4px 0 0;font-size:13px;color:var(--accent)}.drift.bare::before{content:none}.drift::before{content:"doc drift";font-weight:600;font-size:11px;text-transform:uppercase;letter-spacing:.03em;margin-right:8px}
.links{margin-top:6px;font-size:13px;display:flex;flex-wrap:wrap;gap:4px 16px}
table{border-collapse:separate;border-spacing:0;width:100%;margin:0 0 8px;border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{padding:7px 10px;vertical-align:top;text-align:left;border-bottom:1px solid var(--line)}
tr:last-child>td{border-bottom:0}
th{background:var(--soft);font-size:12px;font-weight:600;color:var(--muted);white-space:nowrap}
td.id{white-space:nowrap;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;font-weight:600}
td.id a{color:inherit}
td.res{white-space:nowrap}
tr.r-fail>td{background:color-mix(in srgb,var(--fail-bg) 65%,transparent)}tr.r-fail>td:first-child{box-shadow:inset 3px 0 var(--fail)}
tr.r-warn>td:first-child{box-shadow:inset 3px 0 var(--warn)}
tr.r-not-selected>td{color:var(--ns)}
tr:target>td{outline:2px solid var(--link);outline-offset:-2px}
tr[id],.card[id],h2[id],h3[id],section[id]{scroll-margin-top:48px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.checks td.check{min-width:320px}.checks td.ev{width:45%}
table.matrix{table-layout:fixed}table.matrix th.idh{width:96px}table.matrix th.checkh{width:32%}table.matrix td.check{min-width:0}
table.compact{width:auto;min-width:640px}th.num{text-align:right}
details.fold>summary{cursor:pointer;color:var(--muted);font-size:12.5px;list-style-position:inside;overflow-wrap:anywhere}
details.fold>summary:hover{color:var(--link)}
details.fold[open]>summary{color:var(--fg);margin-bottom:4px}
details.fold .first{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px}
ol.evidence{list-style:none;margin:0;padding:0}
ol.evidence>li{padding:6px 0;border-top:1px dashed var(--line)}ol.evidence>li:first-child{border-top:0}
.req{display:flex;gap:8px;align-items:baseline}.req code{background:none;padding:0;word-break:break-all}
.status{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px;font-weight:600;border:1px solid var(--line);border-radius:4px;padding:0 5px;white-space:nowrap;background:var(--soft)}
.meta{color:var(--muted);font-size:12px}
img.shot{max-width:100%;width:480px;border:1px solid var(--line);border-radius:6px;display:block;margin-top:6px}
.filters{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:26px 0 6px;display:flex;flex-wrap:wrap;gap:6px 20px;align-items:center}
.filters[hidden]{display:none}
.filter-head{display:flex;gap:12px;align-items:center;width:100%}
.filter-head button{margin-left:auto;font:inherit;font-size:12px;padding:2px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
.filters legend{float:left;font-size:12px;color:var(--muted);margin-right:4px;padding:0}
.filters label{display:inline-flex;align-items:center;gap:4px;font-size:13px;cursor:pointer;white-space:nowrap}
.filters label.zero{opacity:.5}.filters .n{color:var(--muted);font-size:12px}
.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:10px;margin-top:14px}
.col{border:1px solid var(--line);border-radius:8px;padding:10px 12px;font-size:13px}
.col.error{border:2px solid var(--fail);background:var(--fail-bg)}
.col .label{font-size:16px;font-weight:600;margin-right:6px}
.col .err{margin-top:6px;color:var(--fail);font-weight:600;white-space:pre-wrap;word-break:break-word}
.col .path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;color:var(--muted);overflow-wrap:anywhere;margin-top:2px}
td.cell{min-width:180px;overflow-wrap:anywhere}td.cell .why{color:var(--muted);font-size:12px;margin-top:3px}
td.cell.r-fail{background:var(--fail-bg)}td.cell.r-warn{background:var(--warn-bg)}td.cell.r-pass{background:color-mix(in srgb,var(--pass-bg) 45%,transparent)}
tr.differs>td.id,tr.differs>td.check{background:color-mix(in srgb,var(--accent) 9%,transparent)}
tr.differs>td:first-child{box-shadow:inset 4px 0 var(--accent)}
table.kinds td:nth-child(2){font-weight:600;white-space:nowrap}
table.kinds tr.k-pass td:nth-child(2){color:var(--pass)}table.kinds tr.k-fail td:nth-child(2){color:var(--fail);background:var(--fail-bg)}
table.kinds tr.k-warn td:nth-child(2),table.kinds tr.k-detected td:nth-child(2){color:var(--warn);background:var(--warn-bg)}
table.kinds tr.k-skip td:nth-child(2),table.kinds tr.k-na td:nth-child(2),table.kinds tr.k-not-selected td:nth-child(2){color:var(--muted);font-weight:400}
td.mono a{margin-right:2px}
.statuses{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px;color:var(--muted);margin-top:3px}
footer{margin-top:40px;color:var(--muted);font-size:12px}
@media print{nav.toc,.filters{display:none}details.fold>*{display:block}}`;

/** The whole page: head, styles, body and the filter script. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark"><title>${h(title)}</title><style>${STYLE}</style></head><body><main>
${body}
</main><script>${SCRIPT}</script></body></html>
`;
}
