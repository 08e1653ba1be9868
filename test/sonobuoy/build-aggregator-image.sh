#!/usr/bin/env bash
# build-aggregator-image.sh [TAG]: Sonobuoy's aggregator (and worker sidecar) image, offline, from a
# sonobuoy binary on this machine: KAC_SONOBUOY, else `sonobuoy` on PATH, else the project machines'
# ../shared/tools/sonobuoy/sonobuoy. Upstream's image is that binary at /sonobuoy on a small base; what
# Sonobuoy needs of the image is only
#   - /sonobuoy: the aggregator, the plugin Pods' worker sidecar (`/sonobuoy worker global`), and what
#     `sonobuoy retrieve` execs in the aggregator Pod (`/sonobuoy splat /tmp/sonobuoy`: no tar, no shell);
#   - /tmp writable by any user (1777): the aggregator runs as uid 1000 (--security-context-mode
#     nonroot) and mounts its results emptyDir at /tmp/sonobuoy.
# So: FROM scratch with those two. Tagged kac.local/sonobuoy:<the binary's version> unless TAG is given,
# and skipped when the image already holds a binary of the same digest. Prints the image reference.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

binary=${KAC_SONOBUOY:-$(command -v sonobuoy || true)}
if [[ -z $binary && -x $here/../../../shared/tools/sonobuoy/sonobuoy ]]; then
  binary=$here/../../../shared/tools/sonobuoy/sonobuoy
fi
if [[ -z $binary || ! -x $binary ]]; then
  echo "no sonobuoy binary: set KAC_SONOBUOY to a linux-amd64 sonobuoy (v0.57.x) or put it on PATH" >&2
  exit 2
fi

version=$("$binary" version --short 2>/dev/null) || { echo "$binary does not run (sonobuoy version --short failed)" >&2; exit 2; }
image=${1:-kac.local/sonobuoy:$version}
key=$(sha256sum < "$binary" | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$image" 2>/dev/null) == "$key" ]]; then
  echo "cached: $image ($key)" >&2
  echo "$image"
  exit 0
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
# COPY of a directory creates its target with mode 0755; the entries inside one keep their modes.
mkdir -p "$context/rootfs"
mkdir -m 1777 "$context/rootfs/tmp"
install -m 0755 "$binary" "$context/rootfs/sonobuoy"
printf '%s\n' 'FROM scratch' 'COPY rootfs/ /' 'WORKDIR /' \
  'CMD ["/sonobuoy", "aggregator", "--no-exit", "-v", "3", "--logtostderr"]' |
  docker build -q -f - -t "$image" --label "io.kac.cache-key=$key" --label "io.kac.sonobuoy-version=$version" "$context" 2> >(grep -v -e DEPRECATED -e 'Install the buildx' -e 'docs.docker.com/go/buildx' -e '^\s*$' >&2) >/dev/null
echo "$image"
