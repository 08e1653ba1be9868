import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { redact, redactDeep } from "../log/redact.ts";
import { renderMatrixHtml } from "./matrix-html.ts";
import { renderMatrixMarkdown } from "./matrix-markdown.ts";
import type { MatrixReport } from "./matrix-model.ts";

/** Writes matrix.json, matrix.md and matrix.html beside the columns' own report directories, redacted as every report is. */
export async function writeMatrixReport(dir: string, matrix: MatrixReport): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, "matrix.json"), `${JSON.stringify(redactDeep(matrix), null, 2)}\n`),
    writeFile(join(dir, "matrix.md"), redact(renderMatrixMarkdown(matrix))),
    writeFile(join(dir, "matrix.html"), redact(renderMatrixHtml(matrix))),
  ]);
}
