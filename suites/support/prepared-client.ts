import type { ClientName } from "../../harness/ground/prepared-clients.ts";
import type { RunContext } from "../../harness/ground/run-context.ts";
import { test } from "./check.ts";
import type { EvidenceLog } from "./evidence.ts";

/**
 * The command of a client snippet the CLI prepared before the suites started. A missing toolchain skips
 * the check, naming it; a build that failed fails the check with the build's output as evidence.
 */
export function preparedClient(run: RunContext, evidence: EvidenceLog, name: ClientName): string[] {
  const client = run.clients[name];
  if (!client) throw new Error(`the ${name} client was not prepared for this run (a defect of the harness: CLIENTS_OF_CHECK misses this check)`);
  switch (client.state) {
    case "ready":
      return client.command;
    case "no-toolchain":
      test.skip(true, client.reason);
      throw new Error(client.reason);
    case "failed":
      evidence.add({ ...client.evidence, note: "the client snippet's build, before the checks ran" });
      throw new Error(client.reason);
  }
}
