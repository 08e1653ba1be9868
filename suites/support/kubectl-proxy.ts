import { KubectlProxy } from "../../harness/proxy/kubectl-proxy.ts";
import type { RunContext } from "../../harness/ground/run-context.ts";
import type { EvidenceLog } from "./evidence.ts";

export { KubectlProxy };

/** Starts `kubectl proxy` with the run's kubectl and records the command and its banner as evidence. */
export async function startProxy(run: RunContext, evidence: EvidenceLog, args: string[], kubeconfig = run.kubeconfigPath): Promise<KubectlProxy> {
  const began = Date.now();
  const proxy = await KubectlProxy.start(run.kubectl, kubeconfig, args);
  evidence.add({ request: `kubectl proxy ${args.join(" ")}`, status: "serving", excerpt: proxy.banner, durationMs: Date.now() - began });
  return proxy;
}
