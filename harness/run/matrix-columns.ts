import { UsageError } from "../errors/usage-error.ts";
import { ImageName } from "testcontainers";
import type { MinorRelease } from "../kind/kubernetes-versions.ts";
import type { RunOptions } from "./run-options.ts";

/** One cluster of a run: a single run has one, a matrix (several minors, images or contexts) several. */
export interface ColumnSpec {
  /** What the user named: "1.35", an image's tag, a context. */
  label: string;
  /** The next minor's pre-release: an opt-in column, marked as such. */
  preRelease: boolean;
  /** The run's options with this column's cluster filled in. */
  options: RunOptions;
}

/** The axes a run may span; at most one of them may name more than one value. */
export interface MatrixAxes {
  kubernetes: MinorRelease[];
  nodeImages: string[];
  contexts: string[];
  /** --allow-context, once per context the user consents to checking. */
  allowContexts: string[];
}

/**
 * The columns of a run: one per minor (--kubernetes), per node image (--node-image) or per context
 * (--context), in the order given; a single column where none names several.
 */
export function planColumns(base: RunOptions, axes: MatrixAxes): ColumnSpec[] {
  const { kubernetes, nodeImages, contexts, allowContexts } = axes;
  if (kubernetes.length && nodeImages.length) throw new UsageError("--kubernetes and --node-image exclude each other", "a node image fixes the Kubernetes version: name minors or images");
  if (kubernetes.length && (base.kubeconfig || base.inCluster)) throw new UsageError("--kubernetes chooses kind node images", "it applies to the kind clusters the harness starts, not to --kubeconfig or --in-cluster");
  if (contexts.length > 1 && !base.kubeconfig) throw new UsageError("several --context need --kubeconfig", "name the kubeconfig that holds the contexts");
  const allowed = (context: string) => (allowContexts.includes(context) ? context : allowContexts[0]);
  const columns: ColumnSpec[] =
    kubernetes.length ? kubernetes.map((release) => ({ label: release.minor, preRelease: release.preRelease, options: { ...base, kubernetes: release } }))
    : nodeImages.length ? nodeImages.map((image) => ({ label: imageLabel(image, nodeImages), preRelease: false, options: { ...base, nodeImage: image } }))
    : contexts.length ? contexts.map((context) => ({ label: context, preRelease: false, options: { ...base, context, allowContext: allowed(context) } }))
    : [{ label: "", preRelease: false, options: { ...base, allowContext: allowContexts[0] } }];
  const labels = columns.map((c) => c.label);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) throw new UsageError(`"${repeated}" is named twice`, "name each version, image or context once");
  if (columns.length > 1 && base.proxyUrl) throw new UsageError("--proxy-url reaches one cluster, and this run has several", "use --proxy-command: the harness starts the proxy for each cluster");
  return columns;
}

/** An image's tag (its Kubernetes version, for node images) where the tags tell the images apart; else the whole name. */
function imageLabel(image: string, all: string[]): string {
  const tag = (name: string) => ImageName.fromString(name).tag;
  return all.filter((other) => tag(other) === tag(image)).length === 1 ? tag(image) : image;
}
