/** A Kubernetes release version such as v1.36.1, as kubeadm and the node image's /kind/version give it. */
export interface KubernetesVersion {
  text: string;
  major: number;
  minor: number;
  patch: number;
}

export function parseKubernetesVersion(text: string): KubernetesVersion {
  const match = /^v(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  if (!match) throw new Error(`not a Kubernetes version: ${JSON.stringify(text)}`);
  return { text: text.trim(), major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function atLeast(version: KubernetesVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
