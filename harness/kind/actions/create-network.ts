import { StartedNetwork } from "testcontainers";
import type { Action } from "./action.ts";

/** A bridge network of the run's own: the nodes find each other by name, and it goes away with the run. */
export const createNetwork: Action = {
  name: "create network",
  async run(context) {
    const { client } = context.host;
    const name = context.runId;
    const network = await client.network.create({ Name: name, Driver: "bridge", Labels: context.labels, CheckDuplicate: true });
    context.network = new StartedNetwork(client, name, network);
  },
};
