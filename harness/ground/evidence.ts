/** One observation a check made: what it asked, what came back, how long it took. */
export interface Evidence {
  /** The request or command, e.g. "GET https://127.0.0.1:40123/api" or "kubectl version -o json". */
  request: string;
  /** HTTP status, exit code, or a word such as "tls-error". */
  status: string | number;
  /** A short excerpt of the body or output, secrets redacted. */
  excerpt: string;
  durationMs: number;
  note?: string;
  /** Which access path answered, where a check asks several (kubectl proxy, direct, proxy under test). */
  path?: string;
}
