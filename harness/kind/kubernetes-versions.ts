import { UsageError } from "../errors/usage-error.ts";
import versions from "./kubernetes-versions.json" with { type: "json" };

/** One Kubernetes minor the harness knows how to start: kind's image for it, and the offline build's version. */
export interface MinorRelease {
  minor: string;
  /** kind's published node image, pinned by digest; none for a pre-release, which kind does not publish. */
  upstream?: string;
  /** The patch release images/build.sh builds from the Go module proxy (kac.local/node:VERSION). */
  offline: string;
  /** The next minor's pre-release: an opt-in column, marked as such in reports. */
  preRelease: boolean;
}

const RELEASES: readonly MinorRelease[] = Object.entries(versions.minors).map(([minor, release]) => ({
  minor,
  ...("upstream" in release ? { upstream: release.upstream } : {}),
  offline: release.offline,
  preRelease: "preRelease" in release && release.preRelease,
}));

/** The kind release whose images the upstream defaults are. */
export const KIND_RELEASE = versions.kind;
/** The minors Kubernetes supports today, oldest first (what `--kubernetes supported` means). */
export const SUPPORTED_MINORS: readonly string[] = RELEASES.filter((r) => !r.preRelease).map((r) => r.minor);
export const DEFAULT_MINOR = versions.defaultMinor;

/** The release of a minor ("1.37", also "v1.37"); a UsageError naming the known ones otherwise. */
export function minorRelease(minor: string): MinorRelease {
  const wanted = minor.trim().replace(/^v/, "");
  const release = RELEASES.find((r) => r.minor === wanted);
  if (!release) {
    throw new UsageError(`Kubernetes ${minor} is not one this harness knows`, `name minors among ${RELEASES.map((r) => r.minor + (r.preRelease ? " (pre-release)" : "")).join(", ")}, or pass --node-image`);
  }
  return release;
}

/** For the help text: the pre-releases one may add as an opt-in column. */
export const PRE_RELEASE_HELP = RELEASES.filter((r) => r.preRelease).map((r) => `${r.minor}: the ${r.offline} pre-release, opt-in`).join("; ") || "no pre-release now";

/** kind's default node image: the default minor's upstream image. */
export const DEFAULT_RELEASE = minorRelease(DEFAULT_MINOR);

/**
 * --kubernetes LIST: comma-separated minors, "supported" for every supported one; each at most once,
 * in the order given.
 */
export function parseMinorList(list: string): MinorRelease[] {
  const minors = list.split(",").map((m) => m.trim()).filter(Boolean).flatMap((m) => (m === "supported" ? SUPPORTED_MINORS : [m]));
  if (minors.length === 0) throw new UsageError("--kubernetes names no version", `e.g. --kubernetes ${SUPPORTED_MINORS.join(",")}`);
  const releases = minors.map(minorRelease);
  const repeated = releases.find((r, i) => releases.findIndex((o) => o.minor === r.minor) !== i);
  if (repeated) throw new UsageError(`--kubernetes names ${repeated.minor} twice`, "name each minor once");
  return releases;
}
