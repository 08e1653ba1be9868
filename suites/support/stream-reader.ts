import { request } from "undici";
import type { ApiPath } from "./api-paths.ts";
import { waitFor, WaitTimeout } from "../../harness/ground/wait.ts";

/**
 * A long-lived response (a watch, `logs -f`) read as it arrives: every chunk with the time it came,
 * and when the response ended, if it did. Checks ask how soon something arrived and whether the
 * stream stayed open.
 */
export class StreamReader {
  readonly url: string;
  readonly opened = Date.now();
  /** The HTTP status, once the headers came (0 before). */
  status = 0;
  readonly chunks: { at: number; text: string }[] = [];
  /** When the response ended or failed (a proxy's idle timeout, a reset). */
  endedAt?: number;
  endReason?: string;
  private readonly controller = new AbortController();

  private constructor(url: string) {
    this.url = url;
  }

  /**
   * Sends the request and returns at once: the answer is read in the background, so a proxy that
   * holds back its headers (a buffering one) shows as a stream where nothing arrives, not as a hang.
   */
  static open(path: ApiPath, apiPath: string): StreamReader {
    const reader = new StreamReader(`${path.base}${apiPath}`);
    void (async () => {
      try {
        const response = await request(reader.url, { dispatcher: path.dispatcher, headers: path.headers, signal: reader.controller.signal, headersTimeout: 0, bodyTimeout: 0 });
        reader.status = response.statusCode;
        for await (const chunk of response.body) reader.chunks.push({ at: Date.now(), text: chunk.toString() });
        reader.end("the response ended");
      } catch (error) {
        reader.end(reader.controller.signal.aborted ? "closed by the check" : `the response failed: ${(error as Error).message}`);
      }
    })();
    return reader;
  }

  get text(): string {
    return this.chunks.map((c) => c.text).join("");
  }

  /** When the text first satisfied `test`, waiting at most `timeoutMs`; undefined if it never did. */
  async waitFor(test: (text: string) => boolean, timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let text = "";
      for (const chunk of this.chunks) {
        text += chunk.text;
        if (test(text)) return chunk.at;
      }
      if (Date.now() > deadline || this.endedAt) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until the answer's headers came, at most `timeoutMs`; whether they did. */
  async waitForHeaders(timeoutMs: number): Promise<boolean> {
    // Not coming in time is an answer here (false), not an error.
    await waitFor("the answer's headers", () => (this.status || this.endedAt ? true : undefined), { timeoutMs, intervalMs: 50 }).catch((error) => {
      if (!(error instanceof WaitTimeout)) throw error;
    });
    return this.status !== 0;
  }

  close(): void {
    this.controller.abort();
  }

  private end(reason: string): void {
    this.endedAt ??= Date.now();
    this.endReason ??= reason;
  }
}
