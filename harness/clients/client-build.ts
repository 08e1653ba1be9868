import { CLIENT_NAMES, type ClientName } from "../ground/prepared-clients.ts";

/** Which snippets each catalog check runs. */
export const CLIENTS_OF_CHECK: Readonly<Record<string, readonly ClientName[]>> = {
  "CL-GO": ["go"],
  "CL-PY": ["python"],
  "CL-JAVA": ["java"],
  "CL-PROXY": ["go", "python"],
};

/** The snippets a selection of checks needs, each once. */
export function clientsFor(checkIds: readonly string[]): ClientName[] {
  const needed = new Set(checkIds.flatMap((id) => CLIENTS_OF_CHECK[id] ?? []));
  return CLIENT_NAMES.filter((name) => needed.has(name));
}
