/**
 * The images the suites deploy into the cluster: loaded into kind nodes, pullable elsewhere.
 * The fixture (backend) is built by images/fixtures/build.sh, part of the offline image build.
 */
export const DEFAULT_FIXTURE_IMAGE = "kac.local/fixture:v1";
/** Built by images/fixtures/probe/build.sh (part of the offline image build). */
export const DEFAULT_PROBE_IMAGE = "kac.local/probe:v1";

