import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { loadRunContext } from "../ground/run-context.ts";
import { checkProgress, reportProgress } from "./progress.ts";

/**
 * Playwright reporter for runs inside a Sonobuoy plugin (playwright.config adds it when
 * SONOBUOY_PROGRESS_PORT is set): one progress update per finished check, so `sonobuoy status` and
 * `sonobuoy run --wait` show how far the run is. Updates go out in order, one at a time.
 */
export default class SonobuoyProgressReporter implements Reporter {
  private readonly finished: { id: string; status: string }[] = [];
  private sending: Promise<unknown> = Promise.resolve();
  private total = 0;

  onBegin(): void {
    this.total = loadRunContext().selectedChecks.length;
    this.send();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.finished.push({ id: test.title.split(" ")[0]!, status: result.status });
    this.send();
  }

  async onEnd(): Promise<void> {
    await this.sending;
  }

  printsToStdio(): boolean {
    return false;
  }

  private send(): void {
    const update = checkProgress([...this.finished], this.total);
    this.sending = this.sending.then(() => reportProgress(update));
  }
}
