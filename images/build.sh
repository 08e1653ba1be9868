#!/usr/bin/env bash
# build.sh [K8S_VERSION|MINOR ...]: the offline image path. Builds, from the Go module proxy and
# Debian's packages only, everything a registry would otherwise give: for each Kubernetes version asked
# (a minor such as 1.35 means its offline patch release; harness/kind/kubernetes-versions.json holds
# them) the control-plane component images and the kind-compatible node image kac.local/node:VERSION,
# always including the default minor's, whose kubectl the probe and harness images carry; then the
# fixture backend and in-cluster probe images the suites deploy, MetalLB, the harness image and
# Testcontainers' reaper. Each step is cached under ${KAC_CACHE_DIR:-~/.cache/kube-access-conformance},
# so a warm run takes seconds; every step prints its duration.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/components/lib.sh"

default=$(k8s_version)
versions=("$default")
for wanted in "$@"; do
  version=$(k8s_version "$wanted")
  [[ " ${versions[*]} " == *" $version "* ]] || versions+=("$version")
done
for version in "${versions[@]}"; do
  step "components $version" "$here/components/all.sh" "$version"
  step "node image $version" "$here/node/build.sh" "$version"
done
step "fixture image" "$here/fixtures/build.sh"
step "probe image" "$here/fixtures/probe/build.sh" "$default"
step "metallb images" "$here/metallb/build.sh"
step "harness image" "$here/harness/build.sh" "$default"
step "reaper image" "$here/reaper/build.sh"

printf '%-28s %9s\n' "offline build step" seconds
for row in "${STEP_TIMES[@]}"; do
  printf '%-28s %9s\n' "${row% *}" "${row##* }"
done
