import { LABEL_TESTCONTAINERS_SESSION_ID, StartedNetwork } from "testcontainers";
import type { Action } from "./action.ts";

/** A bridge network of the run's own: the nodes find each other by name, and it goes away with the run. */
export const createNetwork: Action = {
  name: "create network",
  async run(context) {
    const { client } = context.host;
    const name = context.runId;
    // The session label hands the network to Testcontainers' reaper as well, as its containers are:
    // where the reaper runs, even a killed harness (SIGKILL, no cleanup of its own) leaves nothing.
    const labels = { ...context.labels, [LABEL_TESTCONTAINERS_SESSION_ID]: context.host.reaperSession };
    const network = await client.network.create({ Name: name, Driver: "bridge", Labels: labels, CheckDuplicate: true });
    context.network = new StartedNetwork(client, name, network);
  },
};
