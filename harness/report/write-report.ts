import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { redact, redactDeep } from "../log/redact.ts";
import { renderHtml, type Screenshots } from "./html.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Report } from "./model.ts";

/**
 * Writes report.json, report.md, report.html and junit.xml into the run's directory. Every file passes
 * through redaction as a last line of defence: a check that quoted a token by mistake must not leak it.
 */
export async function writeReport(dir: string, report: Report, screenshots: Screenshots): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, "report.json"), `${JSON.stringify(redactDeep(report), null, 2)}\n`),
    writeFile(join(dir, "report.md"), redact(renderMarkdown(report))),
    writeFile(join(dir, "report.html"), redact(renderHtml(report, screenshots))),
    writeFile(join(dir, "junit.xml"), redact(renderJunit(report))),
  ]);
}
