import { AuthorizationV1Api, type KubeConfig, type V1ResourceAttributes } from "@kubernetes/client-node";
import type { EvidenceLog } from "./evidence.ts";

/**
 * Whether the kubeconfig's user may do something, as the cluster's authorizer says
 * (SelfSubjectAccessReview, `kubectl auth can-i`): the checks whose documented answer is "as RBAC
 * says" expect what this returns, so a non-admin user's 403 is the right answer rather than a failure.
 */
export async function userMay(config: KubeConfig, evidence: EvidenceLog, attributes: V1ResourceAttributes): Promise<boolean> {
  const began = Date.now();
  const review = await config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: attributes } },
  });
  const allowed = review.status?.allowed === true;
  const asked = [attributes.verb, [attributes.resource, attributes.subresource].filter(Boolean).join("/"), attributes.name].filter(Boolean).join(" ");
  evidence.add({ request: `SelfSubjectAccessReview: may the kubeconfig's user ${asked}?`, status: allowed ? "allowed" : "denied", excerpt: review.status?.reason ?? "", durationMs: Date.now() - began });
  return allowed;
}
