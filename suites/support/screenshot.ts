import type { Page, TestInfo } from "@playwright/test";

/** Attaches a screenshot of the page; the report shows it next to the check's evidence. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}
