import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type PeerCertificate } from "node:tls";
import { clusterAccess } from "./support/cluster-access.ts";
import { check, expect, test } from "./support/check.ts";

// access-cluster#accessing-for-the-first-time-with-kubectl: the kubeconfig tells kubectl where the
// cluster is and how to authenticate; these checks read it the way the page shows.

check("KC-01", async ({ kubectl, run }) => {
  const view = await kubectl.kubectl("config", "view");
  expect(view.code).toBe(0);
  expect(view.stdout).toContain(`server: ${run.target.server}`);
  expect(view.stdout).toMatch(/name: \S+/);
  // The user entry shows where the credentials are: secret data inline is shown redacted (named, its
  // value not printed), files by their paths (their contents never), a credential plugin by its command.
  const raw = await kubectl.kubectl("config", "view", "--raw", "--minify", "-o", "jsonpath={.users[0].user}");
  const user = JSON.parse(raw.stdout || "{}") as Record<string, unknown>;
  const text = (key: string) => (typeof user[key] === "string" && user[key] ? user[key] as string : undefined);
  const inline = INLINE_SECRETS.map(text).filter((v): v is string => !!v);
  const files = CREDENTIAL_FILES.map(text).filter((v): v is string => !!v);
  const plugin = user.exec as { command?: string } | undefined;
  expect(inline.length + files.length + (plugin || user["auth-provider"] ? 1 : 0), "the user entry names its credentials").toBeGreaterThan(0);
  for (const secret of inline) expect(view.stdout, "kubectl config view must not print secret data").not.toContain(secret);
  if (inline.length) expect(view.stdout).toMatch(/REDACTED|DATA\+OMITTED/);
  for (const file of files) {
    expect(view.stdout, "a credential file is shown by its path").toContain(file);
    const secretLine = readFileSync(file, "utf8").split("\n").find((l) => l.length > 40 && !l.startsWith("-----"));
    if (secretLine) expect(view.stdout, "kubectl config view must not print a credential file's contents").not.toContain(secretLine);
  }
  if (plugin?.command) expect(view.stdout, "a credential plugin is shown by its command").toContain(`command: ${plugin.command}`);
});

/** Secret data a kubeconfig user may carry inline, and the fields that name credential files instead. */
const INLINE_SECRETS = ["token", "client-key-data", "client-certificate-data", "password"];
const CREDENTIAL_FILES = ["client-certificate", "client-key", "tokenFile"];

/** The page's (access-cluster-api#without-kubectl-proxy) cluster listing, verbatim. */
const LIST_CLUSTERS = `kubectl config view -o jsonpath='{"Cluster name\\tServer\\n"}{range .clusters[*]}{.name}{"\\t"}{.cluster.server}{"\\n"}{end}'`;

check("KC-02", async ({ kubectl, run }) => {
  // The page's range template: a header line, then "NAME<TAB>SERVER" for every cluster of the kubeconfig.
  const listing = await kubectl.shell(LIST_CLUSTERS);
  expect(listing.code, listing.stderr).toBe(0);
  const clusters = (await clusterAccess(run)).config.getClusters().map((c) => `${c.name}\t${c.server}`);
  expect(listing.stdout).toBe(["Cluster name\tServer", ...clusters, ""].join("\n"));
  const cluster = (await kubectl.kubectl("config", "view", "--minify", "-o", "jsonpath={.clusters[0].name}")).stdout.trim();
  expect(listing.stdout.split("\n"), "the current context's cluster is listed with the target's server").toContain(`${cluster}\t${run.target.server}`);
  // The page's next steps, verbatim: a name from the listing, and the by-name lookup.
  const byName = await kubectl.shell(`export CLUSTER_NAME="${cluster}"\nAPISERVER=$(kubectl config view -o jsonpath="{.clusters[?(@.name==\\"$CLUSTER_NAME\\")].cluster.server}")\necho "$APISERVER"`);
  expect(byName.code, byName.stderr).toBe(0);
  expect(byName.stdout.trim()).toBe(run.target.server);
  const minified = await kubectl.kubectl("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}");
  expect(minified.stdout.trim()).toBe(run.target.server);
});

check("KC-03", async ({ run, evidence }) => {
  const access = await clusterAccess(run);
  test.skip(access.config.getCurrentCluster()?.skipTLSVerify === true, "the kubeconfig disables TLS verification (insecure-skip-tls-verify)");
  const host = access.server.hostname.replace(/^\[|\]$/g, "");
  const began = Date.now();
  // Node's default verification is the documented one: the chain must end at the kubeconfig's CA and
  // the certificate must name the host the client dialled (IP SAN for addresses, DNS SAN for names).
  const certificate = await new Promise<PeerCertificate>((resolve, reject) => {
    const socket = connect({ host, port: Number(access.server.port || 443), ca: access.tls.ca, servername: /^[\d.:]+$/.test(host) ? undefined : host }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on("error", reject);
  });
  evidence.add({
    request: `TLS handshake with ${access.server.host}, CA from the kubeconfig`,
    status: "verified",
    excerpt: `subject CN=${certificate.subject?.CN}; issuer CN=${certificate.issuer?.CN}; SANs ${certificate.subjectaltname}`,
    durationMs: Date.now() - began,
  });
  expect(certificate.subjectaltname).toContain(host);
});

check("KC-04", async ({ kubectl, run }) => {
  const version = await kubectl.kubectl("version", "-o", "json");
  expect(version.code).toBe(0);
  const parsed = JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } };
  expect(parsed.serverVersion?.gitVersion).toBe(run.target.serverVersion);
});

check("KC-05", async ({ kubectl, run }) => {
  // kubectl with neither --kubeconfig nor KUBECONFIG: a HOME whose ~/.kube/config is a copy of the
  // run's kubeconfig (the chosen context only) reaches the cluster; the same HOME without it does not.
  const home = await mkdtemp(join(tmpdir(), "kac-home-"));
  try {
    const bare = { PATH: process.env.PATH, HOME: home };
    const without = await kubectl.command(run.kubectl, ["get", "--raw", "/api"], "HOME=EMPTY kubectl get --raw /api", bare);
    expect(without.code, "an empty HOME reaches no cluster").not.toBe(0);
    await mkdir(join(home, ".kube"));
    await copyFile(run.kubeconfigPath, join(home, ".kube", "config"));
    const found = await kubectl.command(run.kubectl, ["get", "--raw", "/api"], "HOME=H kubectl get --raw /api   # H/.kube/config only", bare);
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).kind).toBe("APIVersions");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
