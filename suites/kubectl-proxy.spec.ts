import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { CoreV1Api } from "@kubernetes/client-node";
import { IMPOSTOR_DATA, startImpostor } from "./support/impostor-api.ts";
import { clusterAccess } from "./support/cluster-access.ts";
import { check, expect, test } from "./support/check.ts";
import { freePort, hasIpv6Loopback } from "../harness/net/free-port.ts";
import { http, tlsAgent } from "./support/http.ts";
import { KubectlProxy, startProxy } from "./support/kubectl-proxy.ts";
import { startCheckedProxies, stopAll } from "./support/checked-proxies.ts";
import { useSuiteNamespace } from "./support/namespace.ts";
import type { EvidenceLog } from "./support/evidence.ts";
import type { RunContext } from "../harness/ground/run-context.ts";

// access-cluster#using-kubectl-proxy: kubectl proxy finds the API server, authenticates with the
// kubeconfig's credentials and serves the API on a local address with no credentials of its own.

async function withProxy(run: RunContext, evidence: EvidenceLog, args: string[], body: (proxy: KubectlProxy) => Promise<void>, kubeconfig?: string): Promise<void> {
  const proxy = await startProxy(run, evidence, args, kubeconfig);
  try {
    await body(proxy);
  } finally {
    await proxy.stop();
  }
}

/**
 * Runs a check's assertions against `kubectl proxy --port=0` and, when the run has one, against the
 * proxy under test: the checks every API proxy should pass (no credentials needed, the default filter,
 * the host filter).
 */
async function forEachProxy(run: RunContext, evidence: EvidenceLog, body: (base: string, port: number, path: string) => Promise<void>): Promise<void> {
  const proxies = await startCheckedProxies(run, evidence);
  try {
    for (const proxy of proxies) await body(proxy.base, proxy.port, proxy.name);
  } finally {
    await stopAll(proxies);
  }
}

function expectApiVersions(body: string): void {
  const api = JSON.parse(body) as { kind: string; versions: string[]; serverAddressByClientCIDRs?: unknown[] };
  expect(api.kind).toBe("APIVersions");
  expect(api.versions).toContain("v1");
  expect(api.serverAddressByClientCIDRs).toBeDefined();
}

check("KP-01", async ({ run, evidence }) => {
  await withProxy(run, evidence, ["--port=0"], async (proxy) => {
    expect(proxy.banner).toMatch(/^Starting to serve on 127\.0\.0\.1:\d+$/);
  });
  await forEachProxy(run, evidence, async (base, port, path) => {
    // Addressed as the documentation does, by "localhost", keeping any base path of the proxy's.
    const answer = await http(evidence, `${base.replace(/^http:\/\/[^/]+/, `http://localhost:${port}`)}/api/`, { path });
    expect(answer.status).toBe(200);
    expectApiVersions(answer.body);
  });
});

check("KP-02", async ({ run, evidence }) => {
  const port = await freePort();
  await withProxy(run, evidence, [`--port=${port}`], async (proxy) => {
    expect(proxy.banner).toBe(`Starting to serve on 127.0.0.1:${port}`);
    const answer = await http(evidence, `http://localhost:${port}/api/`);
    expect(answer.status).toBe(200);
    expectApiVersions(answer.body);
  });
});

check("KP-03", async ({ run, evidence, verdict }) => {
  test.skip(!(await hasIpv6Loopback()), "this host has no IPv6 loopback (::1)");
  const drift: string[] = [];
  // The page: `kubectl proxy --port=8080`, then "for IPv6, replace localhost with [::1]". It names no
  // address option, and kubectl proxy listens on 127.0.0.1 only unless --address is given.
  const port = await freePort();
  await withProxy(run, evidence, [`--port=${port}`], async (proxy) => {
    const asDocumented = await http(evidence, `http://[::1]:${port}/api/`).catch((error: Error) => error);
    if (asDocumented instanceof Error) {
      expect(proxy.banner).toBe(`Starting to serve on 127.0.0.1:${port}`);
      drift.push(`the page says to replace localhost with [::1] after \`kubectl proxy --port=PORT\`, but kubectl proxy listens on 127.0.0.1 only unless --address is given: http://[::1]:PORT/api/ is refused (${asDocumented.message})`);
    } else {
      expect(asDocumented.status).toBe(200);
      expectApiVersions(asDocumented.body);
    }
  });
  // The catalog's address option, --address=::1 (not the page's: it documents none). kubectl joins
  // address and port without brackets and cannot listen.
  const began = Date.now();
  const plain = await startProxy(run, evidence, ["--address=::1", "--port=0"]).catch((error: Error) => error);
  if (plain instanceof KubectlProxy) {
    await plain.stop();
  } else {
    evidence.add({ request: "kubectl proxy --address=::1 --port=0", status: "exited", excerpt: plain.message, durationMs: Date.now() - began });
    expect(plain.message).toContain("too many colons");
    drift.push("`--address=::1` fails (\"too many colons in address\"); `--address=[::1]` works");
  }
  await withProxy(run, evidence, ["--address=[::1]", "--port=0"], async (proxy) => {
    const answer = await http(evidence, `http://[::1]:${proxy.port}/api/`);
    if (answer.status === 403 && answer.body.trim() === "Forbidden") {
      // The default --accept-hosts list has ^\[::1\]$, but the filter strips the port to "::1".
      drift.push("the default host filter refuses `Host: [::1]:PORT`; the API answers over IPv6 with `Host: localhost`");
      const viaLocalhost = await http(evidence, `http://[::1]:${proxy.port}/api/`, { headers: { host: `localhost:${proxy.port}` } });
      expect(viaLocalhost.status).toBe(200);
      expectApiVersions(viaLocalhost.body);
    } else {
      expect(answer.status).toBe(200);
      expectApiVersions(answer.body);
    }
  });
  if (drift.length) verdict.docDrift(drift.join("; "));
});

check("KP-04", async ({ run, evidence }) => {
  const access = await clusterAccess(run);
  await forEachProxy(run, evidence, async (base, _port, path) => {
    const viaProxy = await http(evidence, `${base}/api/`, { path });
    expect(viaProxy.status).toBe(200);
  });
  // The same request straight to the API server, trusting its CA but presenting nothing.
  const direct = await http(evidence, `${access.server.origin}/api/`, { dispatcher: tlsAgent({ ca: access.tls.ca }) });
  expect([401, 403]).toContain(direct.status);
});

check("KP-05", async ({ run, evidence }) => {
  // A TLS endpoint with a certificate of its own making, not signed by the kubeconfig's CA.
  const dir = await mkdtemp(join(tmpdir(), "kac-mitm-"));
  const impostor = await startImpostor(run, dir, "untrusted");
  try {
    await withProxy(run, evidence, ["--port=0"], async (proxy) => {
      const answer = await http(evidence, `${proxy.url}/api/`);
      expect(answer.status).toBeGreaterThanOrEqual(500);
      expect(answer.body).not.toContain(IMPOSTOR_DATA);
    }, impostor.kubeconfig);
  } finally {
    impostor.close();
    await rm(dir, { recursive: true, force: true });
  }
});

check("KP-06", async ({ run, evidence }) => {
  await forEachProxy(run, evidence, async (base, _port, path) => {
    for (const verb of ["exec", "attach"]) {
      const answer = await http(evidence, `${base}/api/v1/namespaces/default/pods/any/${verb}?command=true`, { method: "POST", path });
      expect(answer.status).toBe(403);
      expect(answer.body.trim()).toBe("Forbidden");
    }
  });
});

/**
 * KP-07's hostile Host values, one of each kind (PX-02 has the full anchored set): a foreign name, a
 * name that begins with an accepted one, a loopback name with userinfo after it, and addresses that are
 * not loopback (0.0.0.0 among them: browsers have let web pages reach local services by it).
 */
const HOSTILE_HOSTS = (port: number) => [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, "localhost:1@evil", `192.0.2.1:${port}`, `0.0.0.0:${port}`];

check("KP-07", async ({ run, evidence, verdict }) => {
  await forEachProxy(run, evidence, async (base, port, path) => {
    for (const host of HOSTILE_HOSTS(port)) {
      const evil = await http(evidence, `${base}/api/`, { path, headers: { host } });
      // A userinfo part makes the Host header malformed: Go's server answers 400 before the filter.
      // Either way: refused, and never the API.
      if (host.includes("@")) expect([400, 403], `Host: ${host}`).toContain(evil.status);
      else expect(evil.status, `Host: ${host}`).toBe(403);
      expect(evil.body, `Host: ${host}`).not.toContain("APIVersions");
    }
    // Browsers send the port; "[::1]" is asked without it, see the drift note below.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "[::1]"]) {
      const answer = await http(evidence, `${base}/api/`, { path, headers: { host } });
      expect(answer.status, `Host: ${host}`).toBe(200);
      expectApiVersions(answer.body);
    }
  });
  await withProxy(run, evidence, ["--port=0"], async (proxy) => {
    const withPort = await http(evidence, `${proxy.url}/api/`, { headers: { host: `[::1]:${proxy.port}` } });
    if (withPort.status === 403) verdict.docDrift("kubectl proxy refuses `Host: [::1]:PORT` (its filter strips the port to \"::1\", which ^\\[::1\\]$ does not match)");
  });
});

check("KP-08", async ({ run, evidence }) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-sock-"));
  const socket = join(dir, "proxy.sock");
  try {
    await withProxy(run, evidence, [`--unix-socket=${socket}`], async () => {
      const answer = await http(evidence, "http://localhost/api/", { dispatcher: new Agent({ connect: { socketPath: socket } }), shownAs: `unix:${socket} /api/` });
      expect(answer.status).toBe(200);
      expectApiVersions(answer.body);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

check("KP-09", async ({ run, evidence }) => {
  await withProxy(run, evidence, ["--port=0", "--api-prefix=/k8s-api/"], async (proxy) => {
    const inside = await http(evidence, `${proxy.url}/k8s-api/api/`);
    expect(inside.status).toBe(200);
    expectApiVersions(inside.body);
    const outside = await http(evidence, `${proxy.url}/api/`);
    expect(outside.status).toBe(404);
  });
});

check("KP-10", async ({ run, evidence }) => {
  const dir = await mkdtemp(join(tmpdir(), "kac-www-"));
  try {
    await writeFile(join(dir, "index.html"), "<!doctype html><title>kac static</title><p>KAC-STATIC-PAGE</p>");
    await withProxy(run, evidence, ["--port=0", `--www=${dir}`], async (proxy) => {
      // A directory URL: Go's file server redirects /index.html to ./ itself.
      const page = await http(evidence, `${proxy.url}/static/`);
      expect(page.status).toBe(200);
      expect(page.body).toContain("KAC-STATIC-PAGE");
      const api = await http(evidence, `${proxy.url}/api/`);
      expect(api.status).toBe(200);
      expectApiVersions(api.body);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

check("KP-11", async ({ run, evidence }) => {
  // A dry-run create of a valid ConfigMap: should the filter let it through, the API server answers it
  // (201 with rights, an RBAC 403 Status without) and nothing is stored.
  const configMap = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kac-kp11" }, data: { k: "v" } });
  await withProxy(run, evidence, ["--port=0", "--reject-methods=^POST$"], async (proxy) => {
    const post = await http(evidence, `${proxy.url}/api/v1/namespaces/default/configmaps?dryRun=All`, { method: "POST", headers: { "content-type": "application/json" }, body: configMap });
    // kubectl proxy's own refusal (its filter: text/plain "Forbidden"), not the API server's RBAC 403
    // (a JSON Status): a proxy that ignored --reject-methods must not pass behind a kubeconfig whose
    // user may not create ConfigMaps.
    evidence.add({ request: "the POST's answer, by content type (the filter's is text/plain, RBAC's an application/json Status)", status: post.status, excerpt: `Content-Type: ${post.headers["content-type"]}; body: ${post.body.trim()}`, durationMs: post.durationMs });
    expect(post.status, post.body).toBe(403);
    expect(String(post.headers["content-type"]), post.body).toMatch(/^text\/plain\b/);
    expect(post.body.trim()).toBe("Forbidden");
    const get = await http(evidence, `${proxy.url}/api/`);
    expect(get.status).toBe(200);
    expect(String(get.headers["content-type"])).toMatch(/^application\/json\b/);
    expectApiVersions(get.body);
  });
});

test.describe("streaming", () => {
  const ns = useSuiteNamespace(test, "kubectl-proxy");
  const pod = "kac-pause";

  test.beforeAll(async () => {
    const api = ns.config.makeApiClient(CoreV1Api);
    // The sandbox ("pause") image is on every node of every cluster; its binary prints its version
    // with -v, which is all an exec needs to prove the upgrade went through.
    const nodes = await api.listNode();
    const pause = nodes.items.flatMap((n) => n.status?.images ?? []).flatMap((i) => i.names ?? []).find((n) => /\/pause:[^@]+$/.test(n));
    if (!pause) throw new Error("no pause image is listed on any node");
    await api.createNamespacedPod({ namespace: ns.name, body: {
      metadata: { name: pod },
      spec: { containers: [{ name: "pause", image: pause, imagePullPolicy: "IfNotPresent" }], terminationGracePeriodSeconds: 0 },
    } });
    await expect.poll(async () => (await api.readNamespacedPod({ name: pod, namespace: ns.name })).status?.phase, { timeout: 90_000 }).toBe("Running");
  });

  check("KP-12", async ({ run, evidence, kubectl }) => {
    // A watch: the proxy must stream events as they happen, not buffer the response. Asked of kubectl
    // proxy and of the proxy under test, each seeing a ConfigMap of its own created.
    let round = 0;
    await forEachProxy(run, evidence, async (base, _port, path) => {
      const name = `kac-watch-probe-${round++}`;
      const controller = new AbortController();
      const began = Date.now();
      const watch = await request(`${base}/api/v1/namespaces/${ns.name}/configmaps?watch=1`, { signal: controller.signal, headersTimeout: 30_000 });
      expect(watch.statusCode, path).toBe(200);
      const created = kubectl.kubectl("create", "configmap", name, "-n", ns.name, "--from-literal=k=v");
      let seen = "";
      const deadline = setTimeout(() => controller.abort(), 30_000);
      try {
        for await (const chunk of watch.body) {
          seen += chunk.toString();
          if (seen.includes(`"${name}"`)) break;
        }
      } catch {
        // aborted at the deadline: what arrived is the evidence
      } finally {
        clearTimeout(deadline);
        controller.abort();
      }
      await created;
      evidence.add({ request: `GET ${base}/api/v1/namespaces/${ns.name}/configmaps?watch=1`, status: 200, excerpt: seen.split("\n")[0]!, durationMs: Date.now() - began, path });
      expect(seen, path).toContain(`"${name}"`);
      expect(seen).toContain('"type":"ADDED"');
    });
    // With the filter off, an exec upgrade goes through (a kubectl proxy flag: not for other proxies).
    await withProxy(run, evidence, ["--port=0", "--disable-filter=true"], async (proxy) => {
      const exec = await kubectl.command(run.kubectl, ["--kubeconfig=/dev/null", "--server", proxy.url, "exec", "-n", ns.name, pod, "--", "/pause", "-v"], `kubectl --kubeconfig=/dev/null --server ${proxy.url} exec -n ${ns.name} ${pod} -- /pause -v`);
      expect(exec.code, exec.stderr).toBe(0);
      expect(exec.stdout).toContain("pause");
    });
  });
});
