import type { ClusterProvider } from "../providers/provider.ts";
import type { Selection } from "./selection.ts";

/**
 * What each suite creates in the cluster, all inside its own namespace (kac-SUITE-RUN, labelled
 * io.kac.run=RUN) and removed with it; no suite creates cluster-scoped objects. Kept beside the suites'
 * code review: a suite that creates something new adds it here.
 */
export const SUITE_OBJECTS: Record<string, string[]> = {
  kubeconfig: [],
  "kubectl-proxy": ["Pod kac-pause", "ConfigMaps kac-watch-probe-N"],
  token: ["Secret default-token", "ServiceAccount kac-no-rbac"],
  "client-libraries": ["Pod kac-listed-pod"],
  "in-cluster": ["ServiceAccount, Role, RoleBinding kac-probe", "Role, RoleBinding kac-default-lists-pods", "Pods backend, probe, no-token, sidecar, defaults", "Service plain"],
  "service-proxy": [
    "Pods backend, lb-a, lb-b, lb-unready, shell, client, node-shell (host network)",
    "Services plain, secure, multi, empty, kac-listed, udp, lb, sp26, nodeport (NodePort), balanced (LoadBalancer)",
    "ServiceAccount, Role, RoleBinding kac-proxy-client, kac-one-service", "ServiceAccount kac-no-rights",
  ],
  browser: ["Pod web-backend", "Service web", "ServiceAccount, Role, RoleBinding kac-browser"],
  "proxy-contract": ["Pods backend, ticker", "Service web", "ServiceAccount, Role, RoleBinding kac-contract", "ConfigMaps px05-*, px06-*, px07-*"],
};

/** The lines `run --dry-run` prints: the checks, what the provider would create or use, and each suite's objects. */
export function describeRun(selection: Selection, provider: ClusterProvider): string[] {
  const lines: string[] = [`checks (${selection.checkIds.length}): ${selection.checkIds.join(" ")}`, ...provider.describe()];
  for (const suite of selection.suites) {
    const objects = SUITE_OBJECTS[suite] ?? [];
    lines.push(`suite ${suite}: ${objects.length ? `namespace kac-${suite}-RUN-wN with ${objects.join("; ")}` : "nothing in the cluster (reads only)"}`);
  }
  lines.push("local: kubectl proxy processes on 127.0.0.1 and a private work directory, all stopped or removed at the end");
  return lines;
}
