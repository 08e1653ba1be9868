import { controlPlane, inBackground, type Action } from "./action.ts";

const MANIFEST = "/kind/manifests/default-storage.yaml";

/**
 * Applies the node image's default StorageClass and provisioner, when the image has one: in the
 * background, since nothing on the way to Ready needs it (it took 1-4 s of a busy machine's start);
 * a failure still fails the start, at its last step.
 */
export const installStorage: Action = {
  name: "install storage",
  async run(context) {
    const node = controlPlane(context);
    const present = await node.exec(["test", "-f", MANIFEST]);
    if (present.exitCode !== 0) {
      context.progress.info(`node image has no ${MANIFEST}: no default StorageClass`);
      return;
    }
    inBackground(context, node.kubectl("apply", "-f", MANIFEST).then(() => undefined));
  },
};
