/** What a run is asked to do: the CLI's `run` flags, and the programmatic API's options. */
export interface RunOptions {
  kindConfig: string;
  nodeImage?: string;
  fixtureImage: string;
  probeImage: string;
  kubeconfig?: string;
  context?: string;
  /** The context the user consents to checking (existing clusters only). */
  allowContext?: string;
  reportDir: string;
  keep: boolean;
  dryRun: boolean;
  /** Suite names (file names under suites/ without .spec.ts); empty means all. */
  suites: string[];
  grep?: string;
  proxyUrl?: string;
  proxyCommand?: string;
  baseline?: string;
  latencyFactor: number;
}

/** Built by images/fixtures/build.sh (part of the offline image build). */
export const DEFAULT_FIXTURE_IMAGE = "kac.local/fixture:v1";
/** Built by images/fixtures/probe/build.sh (part of the offline image build). */
export const DEFAULT_PROBE_IMAGE = "kac.local/probe:v1";

