import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { clusterAccess } from "./support/cluster-access.ts";
import { check, expect, test } from "./support/check.ts";
import { Kubectl } from "./support/kubectl.ts";
import { useSuiteNamespace } from "./support/namespace.ts";

// access-cluster#without-kubectl-proxy: a bearer token sent straight to the API server. The commands
// are the page's own, run verbatim in the suite's namespace (its kubeconfig's context names it).

// Not serial: the checks follow the documented flow, but each makes sure of the Secret it uses (the
// documented apply is idempotent), so one failure does not hide the others. After a failure Playwright
// starts a fresh worker, which sets the suite up again. TK-10, which deletes the Secret, comes last.
const ns = useSuiteNamespace(test, "token");

/** The documented Secret that asks the token controller for a token of the default ServiceAccount. */
const CREATE_SECRET = `kubectl apply -f - <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: default-token
  annotations:
    kubernetes.io/service-account.name: default
type: kubernetes.io/service-account-token
EOF`;

/** The documented wait loop, bounded: the page's loop would spin forever on a cluster without the controller. */
const WAIT_FOR_TOKEN = `timeout 60 sh -c 'while ! kubectl describe secret default-token | grep -E "^token" >/dev/null; do
  echo "waiting for token..." >&2
  sleep 1
done'`;

const APISERVER_GREP = `APISERVER=$(kubectl config view --minify | grep server | cut -f 2- -d ":" | tr -d " ")`;
const APISERVER_JSONPATH = `APISERVER=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')`;
const TOKEN_GREP = `TOKEN=$(kubectl describe secret default-token | grep -E '^token' | cut -f2 -d':' | tr -d " ")`;
const TOKEN_JSONPATH = `TOKEN=$(kubectl get secret default-token -o jsonpath='{.data.token}' | base64 --decode)`;

/** curl's -w output: the status code on a line of its own after the body. */
const STATUS = `-w '\\nHTTP %{http_code}\\n'`;

function httpStatus(output: string): number {
  return Number(/HTTP (\d{3})\s*$/.exec(output)?.[1] ?? 0);
}

function body(output: string): string {
  return output.replace(/\nHTTP \d{3}\s*$/, "");
}

/**
 * The documented Secret with its token, for the checks that use it: a failure here means the check
 * did not run, and says why (TK-01 checks the same steps as its own behaviour).
 */
async function documentedTokenSecret(kubectl: Kubectl): Promise<void> {
  const created = await kubectl.shell(CREATE_SECRET);
  if (created.code !== 0) throw new Error(`not run: the documented default-token Secret was not created (TK-01): ${created.stderr.trim()}`);
  const wait = await kubectl.shell(WAIT_FOR_TOKEN);
  if (wait.code !== 0) throw new Error("not run: the documented default-token Secret got no token within 60 s (TK-01)");
}

check("TK-01", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  const created = await kubectl.shell(CREATE_SECRET);
  expect(created.code, created.stderr).toBe(0);
  const wait = await kubectl.shell(WAIT_FOR_TOKEN);
  expect(wait.code, "the token controller filled in data.token within 60 s").toBe(0);
  const type = await kubectl.kubectl("get", "secret", "default-token", "-o", "jsonpath={.type} {.metadata.annotations.kubernetes\\.io/service-account\\.name} {.data.token}");
  const [secretType, account, token] = type.stdout.split(" ");
  expect(secretType).toBe("kubernetes.io/service-account-token");
  expect(account).toBe("default");
  expect(token?.length ?? 0).toBeGreaterThan(100);
});

check("TK-02", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  const both = await kubectl.shell(`${APISERVER_GREP}\nA=$APISERVER\n${APISERVER_JSONPATH}\necho "$A"; echo "$APISERVER"`);
  const [grepped, jsonpath] = both.stdout.trim().split("\n");
  expect(grepped).toBe(run.target.server);
  expect(jsonpath).toBe(run.target.server);
});

check("TK-03", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await documentedTokenSecret(kubectl);
  // Compared inside the shell: the tokens themselves never reach the report.
  const compared = await kubectl.shell(`${TOKEN_GREP}\nT1=$TOKEN\n${TOKEN_JSONPATH}\n[ -n "$T1" ] && [ "$T1" = "$TOKEN" ] && echo "same token, $(printf %s "$TOKEN" | wc -c) characters"`);
  expect(compared.code, compared.stderr).toBe(0);
  expect(compared.stdout).toMatch(/^same token, \d{3,} characters/);
});

check("TK-04", async ({ run, evidence, verdict }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await documentedTokenSecret(kubectl);
  const answer = await kubectl.shell(`${APISERVER_JSONPATH}\n${TOKEN_JSONPATH}\ncurl -sS ${STATUS} $APISERVER/api --header "Authorization: Bearer $TOKEN" --insecure`);
  expect(httpStatus(answer.stdout)).toBe(200);
  expect(JSON.parse(body(answer.stdout)).kind).toBe("APIVersions");
  verdict.warn("works, but --insecure skips server verification: this path is open to a man in the middle");
});

check("TK-05", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await documentedTokenSecret(kubectl);
  const access = await clusterAccess(run);
  test.skip(!access.tls.ca, "the kubeconfig names no cluster CA (the server's certificate is publicly trusted)");
  const caFile = join(ns.dir, "ca.crt");
  await writeFile(caFile, access.tls.ca!);
  const wrongCa = join(ns.dir, "wrong-ca.crt");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=not-the-cluster-ca",
    "-keyout", join(ns.dir, "wrong-ca.key"), "-out", wrongCa], { stdio: "ignore" });
  const trusted = await kubectl.shell(`${APISERVER_JSONPATH}\n${TOKEN_JSONPATH}\ncurl -sS ${STATUS} --cacert ${caFile} $APISERVER/api --header "Authorization: Bearer $TOKEN"`);
  expect(httpStatus(trusted.stdout)).toBe(200);
  const wrong = await kubectl.shell(`${APISERVER_JSONPATH}\n${TOKEN_JSONPATH}\ncurl -sS ${STATUS} --cacert ${wrongCa} $APISERVER/api --header "Authorization: Bearer $TOKEN"`);
  // curl exits 60 when the peer's certificate cannot be verified with the given CA.
  expect(wrong.code).toBe(60);
  expect(wrong.stdout).not.toContain("APIVersions");
});

check("TK-06", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  const answer = await kubectl.shell(`${APISERVER_JSONPATH}\nTOKEN=$(kubectl create token default)\ncurl -sS ${STATUS} $APISERVER/api --header "Authorization: Bearer $TOKEN" --insecure`);
  expect(httpStatus(answer.stdout)).toBe(200);
  expect(JSON.parse(body(answer.stdout)).kind).toBe("APIVersions");
});

check("TK-07", async ({ run, evidence, verdict }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  const api = await kubectl.shell(`${APISERVER_JSONPATH}\ncurl -sS ${STATUS} $APISERVER/api --insecure`);
  expect([401, 403]).toContain(httpStatus(api.stdout));
  expect(JSON.parse(body(api.stdout)).kind).toBe("Status");
  // Recorded, not judged: "some clusters need no authentication" for these.
  for (const path of ["/version", "/healthz"]) {
    const answer = await kubectl.shell(`${APISERVER_JSONPATH}\ncurl -sS ${STATUS} $APISERVER${path} --insecure`);
    expect(httpStatus(answer.stdout)).toBeGreaterThan(0);
  }
  // The page's "served on localhost" without authentication was the insecure port: plain HTTP (by
  // default localhost:8080), neither authenticated nor authorized, removed in Kubernetes 1.20. The same
  // address in plain HTTP must not serve the API; Go's TLS server answers it 400.
  const plain = await kubectl.shell(`${APISERVER_JSONPATH}\ncurl -sS ${STATUS} "http://\${APISERVER#https://}/api"`);
  expect(plain.stdout).not.toContain("APIVersions");
  const httpsOnly = httpStatus(plain.stdout) === 400 && plain.stdout.includes("Client sent an HTTP request to an HTTPS server");
  verdict.docDrift(`the page says some API servers need no authentication as they serve on localhost: that was the insecure port (plain HTTP, localhost:8080 by default), removed in Kubernetes 1.20 along with the page's other plain-HTTP API server (\`http://kubernetes_master_address/…\` proxy URLs, "HTTP if the API server is configured so"); the API server serves HTTPS only${httpsOnly ? " (plain HTTP to its address: 400 \"Client sent an HTTP request to an HTTPS server.\")" : ""}, and a request without credentials is the anonymous user's (here /api → ${httpStatus(api.stdout)})`);
});

check("TK-08", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  for (const token of ["not-a-token", "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl"]) {
    const answer = await kubectl.shell(`${APISERVER_JSONPATH}\ncurl -sS ${STATUS} $APISERVER/api --header "Authorization: Bearer ${token}" --insecure`);
    expect(httpStatus(answer.stdout)).toBe(401);
    const status = JSON.parse(body(answer.stdout));
    expect(status.kind).toBe("Status");
    expect(status.reason).toBe("Unauthorized");
  }
});

check("TK-09", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  expect((await kubectl.kubectl("create", "serviceaccount", "kac-no-rbac")).code).toBe(0);
  const prefix = `${APISERVER_JSONPATH}\nTOKEN=$(kubectl create token kac-no-rbac)\n`;
  const discovery = await kubectl.shell(`${prefix}curl -sS ${STATUS} $APISERVER/api --header "Authorization: Bearer $TOKEN" --insecure`);
  expect(httpStatus(discovery.stdout)).toBe(200);
  const pods = await kubectl.shell(`${prefix}curl -sS ${STATUS} $APISERVER/api/v1/namespaces/kube-system/pods --header "Authorization: Bearer $TOKEN" --insecure`);
  expect(httpStatus(pods.stdout)).toBe(403);
  expect(JSON.parse(body(pods.stdout)).reason).toBe("Forbidden");
});

check("TK-10", async ({ run, evidence }) => {
  const kubectl = new Kubectl(run, evidence, ns.kubeconfig);
  await documentedTokenSecret(kubectl);
  // The token stays in a file of the suite's private directory, never in the output.
  const tokenFile = join(ns.dir, "revoked.token");
  const saved = await kubectl.shell(`${TOKEN_JSONPATH}\nprintf %s "$TOKEN" > ${tokenFile}`);
  expect(saved.code).toBe(0);
  const request = `${APISERVER_JSONPATH}\ncurl -sS ${STATUS} $APISERVER/api --header "Authorization: Bearer $(cat ${tokenFile})" --insecure`;
  expect(httpStatus((await kubectl.shell(request)).stdout)).toBe(200);
  expect((await kubectl.kubectl("delete", "secret", "default-token")).code).toBe(0);
  // The authenticator looks the Secret up (through a cache); poll, bounded, for the revocation.
  await expect.poll(async () => httpStatus((await kubectl.shell(request)).stdout), { timeout: 30_000 }).toBe(401);
});
