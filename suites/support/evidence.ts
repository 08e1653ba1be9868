import { redact } from "../../harness/log/redact.ts";
import type { Evidence } from "../../harness/ground/evidence.ts";

/** How much of a body or output the report keeps: enough to prove which backend answered. */
const EXCERPT_CHARS = 400;

/** The observations one check makes; the check fixture attaches them to the test result. */
export class EvidenceLog {
  readonly entries: Evidence[] = [];

  add(entry: Omit<Evidence, "excerpt"> & { excerpt: string }): Evidence {
    const recorded = { ...entry, request: redact(entry.request), excerpt: excerpt(entry.excerpt) };
    this.entries.push(recorded);
    return recorded;
  }
}

export function excerpt(text: string): string {
  const clean = redact(text).replace(/\s+/g, " ").trim();
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS)}…` : clean;
}
