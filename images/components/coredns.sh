#!/usr/bin/env bash
# coredns.sh K8S_VERSION: build the CoreDNS that kubeadm K8S_VERSION expects into
# $CACHE/coredns/VERSION/coredns.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

version=$(image_tag "${1:?usage: coredns.sh K8S_VERSION}" coredns) # e.g. v1.13.1, also the module version
out="$CACHE/coredns/$version"

if ! cached "$out/coredns"; then
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  # CoreDNS's go.mod has no replace directives, so `go install module@version` builds it as released.
  CGO_ENABLED=0 GOBIN="$out.tmp" go install -trimpath -ldflags="-s -w" "github.com/coredns/coredns@$version"
  mv -T "$out.tmp" "$out"
fi
"$out/coredns" -version
