#!/usr/bin/env bash
# all.sh [K8S_VERSION]: build the control-plane binaries and images for K8S_VERSION (default: the
# default minor's offline version, harness/kind/kubernetes-versions.json),
# reusing what the cache already holds, then print how long each step took.
set -euo pipefail
here=$(dirname "$0")
. "$here/lib.sh"

version=$(k8s_version "${1:-}")
step kubernetes "$here/kubernetes.sh" "$version"
step etcd "$here/etcd.sh" "$version"
step coredns "$here/coredns.sh" "$version"
step pause "$here/pause.sh" "$version"
step images "$here/control-plane-images.sh" "$version"
step storage "$here/local-path-provisioner.sh"

printf '%-12s %9s\n' step seconds
for row in "${STEP_TIMES[@]}"; do printf '%-12s %9s\n' "${row% *}" "${row##* }"; done
