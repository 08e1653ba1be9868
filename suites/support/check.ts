import { test as base } from "@playwright/test";
import { catalogEntry } from "../../harness/catalog/catalog.ts";
import { DOC_DRIFT, NOT_APPLICABLE, WARN } from "../../harness/report/check-results.ts";
import { loadRunContext, type RunContext } from "../../harness/ground/run-context.ts";
import { EvidenceLog } from "./evidence.ts";
import { Kubectl } from "./kubectl.ts";

/** Ways a passing check reports one of the catalog's other outcomes, each with its reason. */
export interface Verdict {
  warn(reason: string): void;
  notApplicable(reason: string): void;
  docDrift(description: string): void;
}

interface CheckFixtures {
  evidence: EvidenceLog;
  kubectl: Kubectl;
  verdict: Verdict;
}

interface RunFixtures {
  run: RunContext;
}

/**
 * Playwright's test with the harness's fixtures: the run (target), an evidence log that is attached to
 * the result whatever happens, kubectl bound to the target, and verdict helpers.
 */
export const test = base.extend<CheckFixtures, RunFixtures>({
  run: [async ({}, use) => use(loadRunContext()), { scope: "worker" }],
  evidence: async ({}, use, testInfo) => {
    const log = new EvidenceLog();
    await use(log);
    await testInfo.attach("evidence", { body: JSON.stringify(log.entries), contentType: "application/json" });
  },
  kubectl: async ({ run, evidence }, use) => use(new Kubectl(run, evidence)),
  verdict: async ({}, use, testInfo) => use({
    warn: (reason) => void testInfo.annotations.push({ type: WARN, description: reason }),
    notApplicable: (reason) => void testInfo.annotations.push({ type: NOT_APPLICABLE, description: reason }),
    docDrift: (description) => void testInfo.annotations.push({ type: DOC_DRIFT, description }),
  }),
});

export { expect } from "@playwright/test";

let selected: ReadonlySet<string> | undefined;

/**
 * A check: a test titled with its catalog ID and the behaviour the catalog states. Only the checks the
 * run selected (--suite, --grep, resolved by the CLI) are declared at all.
 */
export function check(id: string, body: Parameters<typeof test>[2]): void {
  const entry = catalogEntry(id);
  selected ??= new Set(loadRunContext().selectedChecks);
  if (selected.has(id)) test(`${id} ${entry.title}`, body);
}
