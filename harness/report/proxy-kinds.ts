import type { ApiServerFront } from "../ground/api-server-front.ts";
import type { CheckResult, Outcome } from "./model.ts";

/** One summary line of the catalog's "kinds of proxy" (access-cluster#many-proxies). */
export interface ProxyKindLine {
  kind: string;
  /** Derived from the checks named in `from`; "detected" only for what sits in front of the API server. */
  state: Outcome | "detected";
  from: string[];
  /** Counts of the underlying results, or how the front was found. */
  basis: string;
}

/** Which checks speak for which kind of proxy, as the catalog assigns them. */
const KINDS: { kind: string; ids: (id: string) => boolean }[] = [
  { kind: "kubectl proxy", ids: (id) => id.startsWith("KP-") },
  { kind: "API server proxy", ids: (id) => id.startsWith("SP-") && id !== "SP-21" && id !== "SP-22" },
  { kind: "kube-proxy", ids: (id) => id === "IC-10" || id === "SP-21" },
  { kind: "cloud load balancer (LoadBalancer Services)", ids: (id) => id === "SP-22" },
];

/** Worst first: the state of a kind is the worst result among the checks that ran for it. */
const SEVERITY: Outcome[] = ["fail", "warn", "pass", "skip", "n/a", "not-selected"];

/** The kinds-of-proxy lines every report format shows. */
export function proxyKinds(checks: CheckResult[], front: ApiServerFront | undefined): ProxyKindLine[] {
  const lines: ProxyKindLine[] = KINDS.map(({ kind, ids }) => {
    const mine = checks.filter((c) => ids(c.id));
    const counts = new Map<Outcome, number>();
    for (const c of mine) counts.set(c.result, (counts.get(c.result) ?? 0) + 1);
    // A kind whose checks were all n/a (no controller) is n/a; one pass among n/a's makes it pass.
    const state = SEVERITY.find((o) => counts.has(o)) ?? "not-selected";
    const basis = [...counts].map(([o, n]) => `${n} ${o}`).join(", ");
    return { kind, state, from: mine.map((c) => c.id), basis };
  });
  lines.splice(3, 0, {
    kind: "proxy or load balancer in front of the API server",
    state: front?.front === "other" || front?.front === "kubernetes-service" ? "detected" : "n/a",
    from: [],
    basis: front ? front.evidence : "not measured in this run",
  });
  return lines;
}
