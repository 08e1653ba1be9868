#!/usr/bin/env bash
# kubernetes.sh VERSION: build the Kubernetes node and control-plane binaries for VERSION from the
# Go module proxy into $CACHE/kubernetes/VERSION/bin, and list the images kubeadm will ask for in
# $CACHE/kubernetes/VERSION/images.txt.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

version=${1:?usage: kubernetes.sh VERSION (e.g. v1.36.1)}
out="$CACHE/kubernetes/$version"
cmds=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
pkgs=("${cmds[@]/#/k8s.io/kubernetes/cmd/}")

build() (
  local toolchain
  toolchain=$(go_toolchain "$version")
  if [[ -n $toolchain ]]; then export GOTOOLCHAIN=$toolchain; fi
  # k8s.io/kubernetes points its staging modules (k8s.io/api, client-go, ...) at ./staging paths that
  # its module download lacks, so `go install` refuses it. A wrapper module requires it and points
  # each staging module at the copy published as k8s.io/NAME v0.MINOR.PATCH.
  local src="$out/src" json edits tmp="$out/bin.tmp"
  json=$(go mod edit -json "$(go mod download -json "k8s.io/kubernetes@$version" | jq -r .GoMod)")
  # Also the same language version and GODEBUG defaults as upstream (they apply only in the main module).
  mapfile -t edits < <(jq -r --arg v "v0.${version#v1.}" '"-go=\(.Go)",
    (.GoDebug[]? | "-godebug=\(.Key)=\(.Value)"),
    (.Replace[] | select(.New.Path | startswith("./staging/")) | "-replace=\(.Old.Path)=\(.Old.Path)@\($v)")' <<<"$json")
  rm -rf "$src" "$tmp"
  mkdir -p "$src"
  cd "$src"
  go mod init kac.local/kubernetes-build 2>/dev/null
  go mod edit -require="k8s.io/kubernetes@$version" "${edits[@]}"
  # pkg@version (not plain pkg, which means @upgrade) records exactly the modules these commands need.
  go get "${pkgs[@]/%/@$version}"

  # What hack/lib/version.sh stamps in, so `kubeadm version` reports VERSION instead of v0.0.0.
  # The module proxy gives no commit hash, so gitCommit is cleared of its "$Format:%H$" placeholder.
  # buildDate is the release's tag time, which keeps the binaries reproducible.
  local date major minor pkg ldflags="-s -w"
  date=$(go list -m -json "k8s.io/kubernetes@$version" | jq -r .Time)
  IFS=. read -r major minor _ <<<"${version#v}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date -X $pkg.gitCommit="
  done
  # One go build for all seven shares the compile work; tags as in hack/lib/golang.sh for releases.
  mkdir "$tmp"
  CGO_ENABLED=0 go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" -o "$tmp/" "${pkgs[@]}"
  mv "$tmp" "$out/bin"
)

if ! cached "$out/bin"; then build; fi
"$out/bin/kubeadm" version -o short
"$out/bin/kubelet" --version
# Cheap to ask, so always asked: the exact references the node image must carry.
"$out/bin/kubeadm" config images list --kubernetes-version "$version" >"$out/images.txt"
cat "$out/images.txt"
