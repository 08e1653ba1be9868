import assert from "node:assert/strict";
import { test } from "node:test";
import { summarizeErrors } from "../../harness/clients/java-client.ts";

test("javac's errors on the page's Java snippet become a sentence naming the imports that no longer resolve", () => {
  const output = [
    "KubeConfigFileClientExample.java:3: error: cannot find symbol",
    "import io.kubernetes.client.ApiClient;",
    "                           ^",
    "KubeConfigFileClientExample.java:6: error: package io.kubernetes.client.apis does not exist",
    "import io.kubernetes.client.apis.CoreV1Api;",
    "KubeConfigFileClientExample.java:28: error: cannot find symbol",
    "    ApiClient client =",
    "3 errors",
  ].join("\n");
  assert.equal(summarizeErrors(output), "3 compile errors; the imports io.kubernetes.client.ApiClient, io.kubernetes.client.apis.CoreV1Api name nothing in the current client (its API classes moved to io.kubernetes.client.openapi)");
  assert.equal(summarizeErrors("KubeConfigFileClientExample.java:9: error: ';' expected\n1 error"), "1 compile error; see the compiler's output");
});
