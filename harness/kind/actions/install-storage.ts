import { controlPlane, type Action } from "./action.ts";

const MANIFEST = "/kind/manifests/default-storage.yaml";

/** Applies the node image's default StorageClass and provisioner, when the image has one. */
export const installStorage: Action = {
  name: "install storage",
  async run(context) {
    const node = controlPlane(context);
    const present = await node.exec(["test", "-f", MANIFEST]);
    if (present.exitCode !== 0) {
      context.progress.info(`node image has no ${MANIFEST}: no default StorageClass`);
      return;
    }
    await node.kubectl("apply", "-f", MANIFEST);
  },
};
