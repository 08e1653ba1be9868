import { AuthorizationV1Api, type KubeConfig, type V1PolicyRule, type V1ResourceAttributes, type V1SelfSubjectAccessReviewSpec } from "@kubernetes/client-node";

/** Asks at most this many reviews at once: a few dozen in all, answered from the authorizer's cache. */
const PARALLEL_REVIEWS = 16;

/**
 * Which of `rules` the credentials in `config` lack, as "verb resource" phrases (e.g. "create
 * namespaces", "get /version"), asked through SelfSubjectAccessReviews, which create nothing.
 */
export async function missingAccess(config: KubeConfig, rules: V1PolicyRule[]): Promise<string[]> {
  const api = config.makeApiClient(AuthorizationV1Api);
  const asks: Ask[] = rules.flatMap((rule) => rule.verbs.flatMap((verb) => asksOf(rule, verb)));
  const missing: string[] = [];
  for (let i = 0; i < asks.length; i += PARALLEL_REVIEWS) {
    await Promise.all(asks.slice(i, i + PARALLEL_REVIEWS).map(async ({ phrase, spec }) => {
      const review = await api.createSelfSubjectAccessReview({ body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec } });
      if (!review.status?.allowed) missing.push(phrase);
    }));
  }
  return missing;
}

interface Ask {
  phrase: string;
  spec: V1SelfSubjectAccessReviewSpec;
}

/** One review per path of a non-resource rule, or per group and resource (with its subresource) of a resource rule. */
function asksOf(rule: V1PolicyRule, verb: string): Ask[] {
  if (rule.nonResourceURLs) return rule.nonResourceURLs.map((path) => ({ phrase: `${verb} ${path}`, spec: { nonResourceAttributes: { path, verb } } }));
  return (rule.apiGroups ?? [""]).flatMap((group) => (rule.resources ?? []).map((resource) => {
    const [name, subresource] = resource.split("/");
    const attributes: V1ResourceAttributes = { group, resource: name, verb, ...(subresource ? { subresource } : {}) };
    return { phrase: `${verb} ${resource}${group ? `.${group}` : ""}`, spec: { resourceAttributes: attributes } };
  }));
}
