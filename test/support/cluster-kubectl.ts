import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileP = promisify(execFile);

/** The cluster's own kubectl with its kubeconfig, as a function of its arguments and, optionally, its stdin: resolves with stdout. */
export function clusterKubectl(kubectl: string, kubeconfig: string): (args: string[], input?: string) => Promise<string> {
  return async (args, input) => {
    const child = execFileP(kubectl, ["--kubeconfig", kubeconfig, ...args], { maxBuffer: 64 << 20 });
    if (input !== undefined) child.child.stdin!.end(input);
    return (await child).stdout;
  };
}
