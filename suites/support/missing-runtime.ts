import { execFile } from "node:child_process";
import { expect, test } from "./check.ts";

/**
 * Clients whose runtime the harness looks for but has no snippet of its own for yet: skip, naming what
 * is missing. Where the runtime is installed the check fails instead, since the harness could have run
 * it: a skip is only ever for an absent toolchain.
 */
export async function missingRuntime(runtime: string, library: string): Promise<void> {
  const found = await new Promise<boolean>((resolve) => execFile("sh", ["-c", `command -v ${runtime}`], (error) => resolve(!error)));
  test.skip(!found, `no ${runtime} runtime on this machine (the documented client is ${library})`);
  expect(found, `${runtime} is installed, but this version of the harness has no ${library} snippet yet`).toBe(false);
}
