import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { canHideDocker, runCli, WITHOUT_DOCKER } from "../support/cli.ts";

// Every kind of bad input: one line on stderr saying what is wrong and what to do, exit code 2, no stack
// trace, nothing left behind (no report directory contents, no work directory).

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kac-bad-input-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectOneLine(args: string[], pattern: RegExp, wrapper: string[] = []): Promise<void> {
  const id = Math.random().toString(36).slice(2);
  const reports = join(dir, `reports-${id}`);
  // A private TMPDIR: the run's work directory must be gone afterwards, whatever else the machine runs.
  const tmp = join(dir, `tmp-${id}`);
  await mkdir(tmp);
  const result = await runCli([...args, ...(args[0] === "run" ? ["--report-dir", reports] : [])], { TMPDIR: tmp }, wrapper);
  assert.equal(result.code, 2, `exit code for ${args.join(" ")}: ${result.stderr}`);
  const lines = result.stderr.trim().split("\n").filter((l) => !/^\[\s*[\d.]+s\]/.test(l));
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /^error: .+; .+/);
  assert.match(lines[0]!, pattern);
  assert.equal(result.stdout, "");
  assert.deepEqual((await readdir(reports).catch(() => [])).filter((f) => f !== "latest"), [], "no report left behind");
  assert.deepEqual(await readdir(tmp), [], "no work directory left behind");
}

const kubeconfig = (server: string, extra = "") => `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: abc } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
${extra}`;

test("an unknown option", () => expectOneLine(["run", "--frobnicate"], /Unknown option '--frobnicate'.*--help/));

test("an unknown command", () => expectOneLine(["launch"], /unknown command "launch"/));

test("an unknown suite", () => expectOneLine(["run", "--suite", "nope"], /unknown suite "nope"; the suites are: .*kubeconfig/));

test("a --grep that is not a regular expression", () =>
  expectOneLine(["run", "--grep", "("], /--grep "\(" is not a valid regular expression/));

test("a --grep or --suite selection of no check: a run that checks nothing must not pass", async () => {
  await expectOneLine(["run", "--grep", "SOMETHING-THAT-MATCHES-NOTHING"], /--grep "SOMETHING-THAT-MATCHES-NOTHING" selects no check; /);
  await expectOneLine(["run", "--suite", "kubeconfig", "--grep", "^TK-"], /--suite kubeconfig --grep "\^TK-" selects no check/);
});

test("a missing kubeconfig", () => expectOneLine(["run", "--kubeconfig", join("/nonexistent", "config")], /kubeconfig \/nonexistent\/config does not exist/));

test("a garbled kubeconfig", async () => {
  const file = join(dir, "garbled");
  await writeFile(file, "clusters: [ {{{ not yaml");
  await expectOneLine(["run", "--kubeconfig", file], /cannot be read .*valid kubeconfig/);
});

test("an unknown context", async () => {
  const file = join(dir, "one-context");
  await writeFile(file, kubeconfig("https://127.0.0.1:1"));
  await expectOneLine(["run", "--kubeconfig", file, "--context", "elsewhere"], /context "elsewhere" is not in .* \(contexts: ctx\); pass one of them/);
});

test("an existing cluster without consent", async () => {
  const file = join(dir, "no-consent");
  await writeFile(file, kubeconfig("https://127.0.0.1:1"));
  await expectOneLine(["run", "--kubeconfig", file], /checking context "ctx" creates namespaces .*; consent with --allow-context ctx$/);
  await expectOneLine(["run", "--kubeconfig", file, "--allow-context", "other"], /consent with --allow-context ctx$/);
});

test("an unreachable server", async () => {
  const file = join(dir, "unreachable");
  await writeFile(file, kubeconfig("https://127.0.0.1:1"));
  await expectOneLine(["run", "--kubeconfig", file, "--allow-context", "ctx"], /API server https:\/\/127\.0\.0\.1:1 of context "ctx" is unreachable/);
});

test("an invalid kind-config.yaml: YAML error, unknown field, unsupported value", async () => {
  const cases: [string, RegExp][] = [
    ["kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [\n", /is not valid YAML at line \d+/],
    ["kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nextraMounts: []\n", /field "extraMounts" is not supported/],
    ["kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking: { ipFamily: dual }\n", /field "networking.ipFamily" only "ipv4"/],
  ];
  for (const [i, [text, pattern]] of cases.entries()) {
    const file = join(dir, `kind-${i}.yaml`);
    await writeFile(file, text);
    await expectOneLine(["run", "--kind-config", file], pattern);
  }
});

test("a baseline of another schema", async () => {
  const file = join(dir, "not-a-report.json");
  await writeFile(file, JSON.stringify({ schema: "someone-else/report@9", checks: [] }));
  await expectOneLine(["run", "--baseline", file], /baseline .* has schema "someone-else\/report@9", not kube-access-conformance\/report@1/);
});

test("a --workers that is no whole number of at least 1", () => expectOneLine(["run", "--workers", "0"], /--workers 0 is not a whole number of at least 1; pass how many suites/));

test("a proxy command without its {port} placeholder", () =>
  expectOneLine(["run", "--proxy-command", "kubectl proxy"], /--proxy-command has no \{port\} placeholder/));

test("an unwritable report directory", async () => {
  const file = join(dir, "a-file");
  await writeFile(file, "");
  const result = await runCli(["run", "--report-dir", join(file, "reports")]);
  assert.equal(result.code, 2);
  assert.match(result.stderr.trim(), /^error: report directory .* is not writable; pass a writable directory with --report-dir$/);
});

test("no Docker engine", { skip: !canHideDocker && "hiding the Docker socket needs root (unshare)" }, () =>
  expectOneLine(["run"], /no Docker engine is reachable; start Docker/, WITHOUT_DOCKER));

test("--dry-run lists what a run would create and creates nothing", async () => {
  const reports = join(dir, "reports-dry-run");
  const result = await runCli(["run", "--dry-run", "--report-dir", reports]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Docker: a network kac-RUN and 3 node containers \(kac-control-plane, kac-worker, kac-worker2\)/m);
  assert.match(result.stdout, /^suite service-proxy: namespace kac-service-proxy-RUN-wN with Pods backend/m);
  assert.match(result.stdout, /^suite kubeconfig: nothing in the cluster/m);
  assert.deepEqual(await readdir(reports).catch(() => []), []);
  const narrowed = await runCli(["run", "--dry-run", "--grep", "^KP-0[1-3] ", "--report-dir", reports]);
  assert.match(narrowed.stdout, /^checks \(3\): KP-01 KP-02 KP-03$/m);
  assert.match(narrowed.stdout, /^suite kubectl-proxy: /m);
  assert.doesNotMatch(narrowed.stdout, /^suite kubeconfig/m, "only the suites that hold selected checks");
});

test("every suite says what it creates", async () => {
  const { SUITE_OBJECTS } = await import("../../harness/run/dry-run.ts");
  const { suiteNames } = await import("../../harness/run/suite-runner.ts");
  assert.deepEqual(Object.keys(SUITE_OBJECTS).sort(), suiteNames());
});
