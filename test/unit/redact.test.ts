import assert from "node:assert/strict";
import { test } from "node:test";
import { redact, redactDeep } from "../../harness/log/redact.ts";

/** A made-up token of a JWT's shape, built here so that no token-shaped string sits in the source. */
function fakeJwt(header: object, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.${Buffer.from("signature-value").toString("base64url")}`;
}

test("JWTs, bootstrap tokens and bearer headers are redacted", () => {
  const jwt = fakeJwt({ alg: "RS256", kid: "123" }, { iss: "kubernetes/serviceaccount" });
  assert.equal(redact(`token: ${jwt}`), "token: <redacted-jwt>");
  assert.equal(redact("join with abcdef.0123456789abcdef now"), "join with <redacted-bootstrap-token> now");
  assert.equal(redact("Authorization: Bearer opaque-token-value"), "Authorization: Bearer <redacted>");
});

test("PEM blocks and kubeconfig key data are redacted", () => {
  const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
  assert.equal(redact(pem), "-----BEGIN RSA PRIVATE KEY-----<redacted>-----END RSA PRIVATE KEY-----");
  assert.equal(redact("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo="), "    client-key-data: <redacted>");
  assert.equal(redact('"client-certificate-data":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="'), '"client-certificate-data":"<redacted>"');
});

test("ordinary text is left alone", () => {
  const text = "GET https://127.0.0.1:40123/api -> 200 APIVersions v1 (12 ms)";
  assert.equal(redact(text), text);
});

test("a documented shell variable stays readable, and JSON stays valid", () => {
  assert.equal(redact('--header "Authorization: Bearer ${TOKEN}"'), '--header "Authorization: Bearer ${TOKEN}"');
  const report = { title: 'curl --header "Authorization: Bearer abcdefghijklmnop"', nested: [{ excerpt: `token: ${fakeJwt({ alg: "RS256" }, { sub: "system" })}` }] };
  const text = JSON.stringify(redactDeep(report));
  assert.deepEqual(JSON.parse(text), { title: 'curl --header "Authorization: Bearer <redacted>"', nested: [{ excerpt: "token: <redacted-jwt>" }] });
});
