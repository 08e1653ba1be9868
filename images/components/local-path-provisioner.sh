#!/usr/bin/env bash
# local-path-provisioner.sh: the default storage of kind clusters, offline. Builds Rancher's
# local-path-provisioner from the Go module proxy and the image kac.local/local-path-provisioner:VERSION
# on kac.local/netbase (its shell and coreutils also make it the helper Pod's image).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

version=v0.0.30
out="$CACHE/local-path-provisioner/$version"
image="kac.local/local-path-provisioner:$version"

if ! cached "$out/local-path-provisioner"; then
  # Its go.mod replaces nothing, so `go install` from the proxy works as is.
  GOBIN="$out.tmp" CGO_ENABLED=0 go install -trimpath -ldflags="-s -w" "github.com/rancher/local-path-provisioner@$version"
  mv -T "$out.tmp" "$out"
fi
key=$(cat "$out/local-path-provisioner" | sha256sum | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$image" 2>/dev/null) != "$key" ]]; then
  printf 'FROM kac.local/netbase:bookworm\nCOPY local-path-provisioner /usr/local/bin/\n' |
    docker build -q -f - -t "$image" --label "io.kac.cache-key=$key" "$out" >/dev/null
fi
echo "$image"
