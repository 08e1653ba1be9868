/**
 * Removes secrets from text before it is printed or stored: bearer tokens (JWTs and kubeadm bootstrap
 * tokens), PEM blocks (keys and certificates), and the base64 key and certificate data of kubeconfigs.
 */
const RULES: [RegExp, string][] = [
  [/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, "-----BEGIN $1-----<redacted>-----END $1-----"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, "<redacted-jwt>"],
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, "<redacted-bootstrap-token>"],
  [/((?:client-key|client-certificate|certificate-authority|token)(?:-data)?["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=_.-]{16,}/gi, "$1<redacted>"],
  // Only token-shaped values: a shell variable such as ${TOKEN} in a documented command stays readable.
  [/(Authorization:\s*Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1<redacted>"],
];

export function redact(text: string): string {
  return RULES.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
}

/** Redacts every string inside a JSON-like value, so that the serialized form stays valid. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  return value;
}
