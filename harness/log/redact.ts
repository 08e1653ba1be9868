/**
 * Removes secrets from text before it is printed or stored: bearer tokens (JWTs and kubeadm bootstrap
 * tokens), PEM blocks (keys and certificates), and the base64 key and certificate data of kubeconfigs.
 */
const RULES: [RegExp, string][] = [
  [/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, "-----BEGIN $1-----<redacted>-----END $1-----"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, "<redacted-jwt>"],
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, "<redacted-bootstrap-token>"],
  [/((?:client-key|client-certificate|certificate-authority|token)(?:-data)?["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=_.-]{16,}/gi, "$1<redacted>"],
  [/(Authorization:\s*Bearer\s+)\S+/gi, "$1<redacted>"],
];

export function redact(text: string): string {
  return RULES.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
}
