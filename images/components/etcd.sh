#!/usr/bin/env bash
# etcd.sh K8S_VERSION: build the etcd that kubeadm K8S_VERSION expects into $CACHE/etcd/VERSION/etcd.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tag=$(image_tag "${1:?usage: etcd.sh K8S_VERSION}" etcd) # e.g. 3.6.5-0: etcd 3.6.5, image revision 0
version="v${tag%-*}"
out="$CACHE/etcd/$version"

build() (
  # The server module replaces its sibling modules with ../ paths, so `go install` refuses it; a
  # wrapper module that requires it uses the published siblings its go.mod names instead.
  local gomod
  gomod=$(go mod download -json "go.etcd.io/etcd/server/v3@$version" | jq -r .GoMod)
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp/src"
  cd "$out.tmp/src"
  go mod init kac.local/etcd-build 2>/dev/null
  go mod edit -go="$(go mod edit -json "$gomod" | jq -r .Go)"
  go get "go.etcd.io/etcd/server/v3@$version"
  CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o ../etcd go.etcd.io/etcd/server/v3
  mv -T "$out.tmp" "$out"
)

if ! cached "$out/etcd"; then build; fi
"$out/etcd" --version
