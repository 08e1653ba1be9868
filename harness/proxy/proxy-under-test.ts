import { spawn, type ChildProcess } from "node:child_process";
import { request } from "undici";
import { stopProcess } from "../process/stop-process.ts";
import { freePort } from "../net/free-port.ts";
import { PROXY_UNDER_TEST } from "../ground/access-paths.ts";
import { waitFor } from "../ground/wait.ts";
import type { RunContext } from "../ground/run-context.ts";

/** How long a proxy command may take to answer its first request. */
const START_TIMEOUT_MS = 30_000;

/**
 * The proxy implementation under test (`--proxy-url`, or `--proxy-command` which the harness starts
 * with {port} and {kubeconfig} filled in). Checks that apply to any proxy run against it beside
 * `kubectl proxy`; a difference fails the check, with both answers as evidence.
 */
export class ProxyUnderTest {
  /** Shaped like the suites' access paths: a name and a base URL, no credentials. */
  readonly path: { name: string; base: string; headers: Record<string, string> };
  private readonly process?: ChildProcess;

  private constructor(url: string, process?: ChildProcess) {
    this.path = { name: PROXY_UNDER_TEST, base: url.replace(/\/$/, ""), headers: {} };
    this.process = process;
  }

  /** Undefined when the run has no proxy under test. */
  static async start(run: Pick<RunContext, "proxyUnderTest" | "kubeconfigPath">): Promise<ProxyUnderTest | undefined> {
    const spec = run.proxyUnderTest;
    if (!spec) return undefined;
    if (spec.url) {
      const answered = await answersApi(spec.url.replace(/\/$/, ""));
      if (!answered) throw new Error(`${spec.url} does not answer`);
      return new ProxyUnderTest(spec.url);
    }
    const port = await freePort();
    const command = spec.command!.replaceAll("{port}", String(port)).replaceAll("{kubeconfig}", run.kubeconfigPath);
    // Its own process group, so stopping it also stops whatever it started (a kubectl proxy behind it).
    const child = spawn("/bin/sh", ["-c", command], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let said = "";
    child.stderr!.on("data", (chunk) => (said = (said + chunk).slice(-2000)));
    const proxy = new ProxyUnderTest(`http://127.0.0.1:${port}`, child);
    try {
      return await waitFor(`the proxy command answering on port ${port}`, async () => {
        if (child.exitCode !== null) throw new Error(`the proxy command exited ${child.exitCode} before answering: ${said.trim()}`);
        return (await answersApi(proxy.path.base)) ? proxy : undefined;
      }, { timeoutMs: START_TIMEOUT_MS, intervalMs: 200, lastSeen: () => said.trim() });
    } catch (error) {
      await proxy.stop(); // does nothing when the command has exited already
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.process) await stopProcess(this.process, { group: true });
  }

}

/** Whether anything answers HTTP at BASE/api/ within a few seconds (a hanging proxy does not). */
function answersApi(base: string): Promise<boolean> {
  return request(`${base}/api/`, { headersTimeout: 5_000, bodyTimeout: 5_000 }).then((r) => r.body.dump().then(() => true), () => false);
}
