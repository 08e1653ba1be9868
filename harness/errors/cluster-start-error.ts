/**
 * The cluster a provider was asked for did not come up: the environment, not the checks, so the CLI
 * exits 2. `detail` holds the last lines the failing component wrote, for whoever debugs it.
 */
export class ClusterStartError extends Error {
  override name = "ClusterStartError";
  readonly detail: string;
  /** Whose lines `detail` are, e.g. "the node's own output". */
  readonly detailSource: string;

  constructor(message: string, detail: string, detailSource: string) {
    super(message);
    this.detail = detail;
    this.detailSource = detailSource;
  }
}
