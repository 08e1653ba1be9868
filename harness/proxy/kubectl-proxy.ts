import { stopProcess } from "../process/stop-process.ts";
import { spawn, type ChildProcess } from "node:child_process";

/** How long `kubectl proxy` may take to say where it serves. */
const START_TIMEOUT_MS = 20_000;

/** A running `kubectl proxy`, started with the documented flags; `stop()` ends it. */
export class KubectlProxy {
  readonly process: ChildProcess;
  /** The line kubectl printed, e.g. "Starting to serve on 127.0.0.1:37005". */
  readonly banner: string;
  /** Host and port from the banner (for TCP listeners). */
  readonly address: string;

  private constructor(process: ChildProcess, banner: string) {
    this.process = process;
    this.banner = banner;
    this.address = banner.replace(/^Starting to serve on /, "").trim();
  }

  /** http://ADDRESS, with IPv6 addresses bracketed. */
  get url(): string {
    const [, host, port] = /^(.*):(\d+)$/.exec(this.address) ?? [];
    return `http://${host?.includes(":") ? `[${host}]` : host}:${port}`;
  }

  get port(): number {
    return Number(/:(\d+)$/.exec(this.address)?.[1]);
  }

  static async start(kubectl: string, kubeconfig: string, args: string[]): Promise<KubectlProxy> {
    const child = spawn(kubectl, ["--kubeconfig", kubeconfig, "proxy", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kubectl proxy ${args.join(" ")} printed no banner in ${START_TIMEOUT_MS / 1000}s: ${output}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split("\n").find((l) => l.startsWith("Starting to serve on "));
        if (line) {
          clearTimeout(timer);
          resolve(line.trim());
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`kubectl proxy ${args.join(" ")} exited ${code}: ${output.trim()}`));
      });
    });
    return new KubectlProxy(child, banner);
  }

  stop(): Promise<void> {
    return stopProcess(this.process);
  }

}
