#!/usr/bin/env bash
# build-old-kubectl.sh: build kubectl v1.35.4 from the Go module proxy and print the binary's path.
#
# A "real proxy this project did not write" for --proxy-command: an older minor's `kubectl proxy`
# (through old-kubectl-proxy.sh), a version regression test of kubectl proxy against itself.
#
# How (the approach of images/components/kubernetes.sh): k8s.io/kubernetes points its staging
# modules (k8s.io/api, client-go, kubectl, ...) at ./staging paths its module download lacks, so
# `go install k8s.io/kubernetes/cmd/kubectl@v1.35.4` is refused. A wrapper module in a temp dir
# requires k8s.io/kubernetes v1.35.4 and replaces each staging module listed in its go.mod with the
# copy published as v0.35.4; version info is stamped in as hack/lib/version.sh does. Built with the Go
# release upstream used (the module's .go-version, fetched as a toolchain module from the Go module
# proxy): Go's own net/http differs between releases (Go 1.26 ServeMux path-cleaning redirects are
# 307 where Go 1.25 sends 301), and a version regression test must not measure that.
# Cached at $KAC_CACHE_DIR/real-proxies/kubectl-v1.35.4 (default ~/.cache/kube-access-conformance).
set -euo pipefail
PATH="$PATH:/usr/local/go/bin"

version=v1.35.4
out="${KAC_CACHE_DIR:-$HOME/.cache/kube-access-conformance}/real-proxies/kubectl-$version"

if [[ ! -x $out ]]; then
  mkdir -p "$(dirname "$out")"
  src=$(mktemp -d)
  tmp=$(mktemp "$out.XXXXXX")
  trap 'rm -rf "$src" "$tmp"' EXIT
  json=$(go mod download -json "k8s.io/kubernetes@$version")
  gomod=$(jq -r .GoMod <<<"$json")
  GOTOOLCHAIN="go$(cat "$(jq -r .Dir <<<"$json")/.go-version")"
  export GOTOOLCHAIN
  # Same language version and GODEBUG defaults as upstream, and each ./staging replace re-pointed.
  mapfile -t edits < <(go mod edit -json "$gomod" | jq -r --arg v "v0.${version#v1.}" '"-go=\(.Go)",
    (.GoDebug[]? | "-godebug=\(.Key)=\(.Value)"),
    (.Replace[] | select(.New.Path | startswith("./staging/")) | "-replace=\(.Old.Path)=\(.Old.Path)@\($v)")')
  IFS=. read -r major minor _ <<<"${version#v}"
  date=$(go list -m -json "k8s.io/kubernetes@$version" | jq -r .Time)
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date -X $pkg.gitCommit="
  done
  (
    cd "$src"
    go mod init kac.local/old-kubectl 2>/dev/null
    go mod edit -require="k8s.io/kubernetes@$version" "${edits[@]}"
    go get "k8s.io/kubernetes/cmd/kubectl@$version" >&2
    CGO_ENABLED=0 go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" \
      -o "$tmp" k8s.io/kubernetes/cmd/kubectl
  )
  chmod 755 "$tmp"
  mv "$tmp" "$out"
fi
echo "$out"
