import { CATALOG } from "../catalog/catalog.ts";
import { UsageError } from "../errors/usage-error.ts";

/** The checks a run is asked for: their catalog IDs, and the suites (spec files) that hold them. */
export interface Selection {
  checkIds: string[];
  suites: string[];
}

/**
 * Resolves --suite and --grep to catalog IDs before anything is created. A suite is the catalog section
 * of the same name; --grep is a regular expression matched against a check's "ID title". A pattern that
 * is not a regular expression, or a selection of no check at all, is bad input: a run that checks
 * nothing must not pass.
 */
export function selectChecks(suites: readonly string[], grep: string | undefined): Selection {
  let pattern: RegExp | undefined;
  if (grep !== undefined) {
    try {
      pattern = new RegExp(grep);
    } catch (error) {
      throw new UsageError(`--grep ${JSON.stringify(grep)} is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`, "escape special characters, e.g. --grep 'SP-0[1-3]'");
    }
  }
  const entries = CATALOG.filter((e) => (suites.length === 0 || suites.includes(e.section)) && (!pattern || pattern.test(`${e.id} ${e.title}`)));
  if (entries.length === 0) {
    const asked = [...suites.map((s) => `--suite ${s}`), ...(grep !== undefined ? [`--grep ${JSON.stringify(grep)}`] : [])].join(" ");
    throw new UsageError(`${asked} selects no check`, "match a check's ID or title (e.g. --grep KP-0); run --dry-run lists the IDs");
  }
  return { checkIds: entries.map((e) => e.id), suites: [...new Set(entries.map((e) => e.section))] };
}
