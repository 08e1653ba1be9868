import type { Evidence } from "./evidence.ts";

/** The documented client snippets that need a build or an install before a check can run them. */
export type ClientName = "go" | "python" | "java";
export const CLIENT_NAMES: readonly ClientName[] = ["go", "python", "java"];

/**
 * A client snippet made ready before the checks start, so that a check's time is what it measures:
 * - ready: the command that runs the snippet (arguments follow);
 * - no-toolchain: the runtime is absent on this machine, the only reason a client check may skip;
 * - failed: the toolchain is there but the build or install failed; the checks that need this client
 *   fail with the build's own output as evidence.
 */
export type ClientBuild =
  | { state: "ready"; command: string[]; cached: boolean; asDocumented?: AsDocumentedBuild }
  | { state: "no-toolchain"; toolchain: string; reason: string }
  | { state: "failed"; reason: string; evidence: Evidence };

/** A client as the run prepared it, with the time that took (near zero when the cache had it). */
export type PreparedClient = ClientBuild & { preparedMs: number };
export type PreparedClients = Partial<Record<ClientName, PreparedClient>>;

/**
 * The page's own snippet, built as written beside the current equivalent the check runs: where it no
 * longer builds against the current client, that is doc drift, with the compiler's words as evidence.
 */
export interface AsDocumentedBuild {
  builds: boolean;
  /** What the compiler said, in a sentence. */
  summary: string;
  evidence: Evidence;
  /** Where it builds: the command that runs it as written. */
  command?: string[];
}
