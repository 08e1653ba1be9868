#!/usr/bin/env bash
# build.sh [K8S_VERSION]: the offline image path. Builds, from the Go module proxy and Debian's
# packages only, everything a registry would otherwise give: the control-plane component images and
# the kind-compatible node image kac.local/node:K8S_VERSION (default: the Kubernetes version of kind's
# default node image), the fixture backend and the in-cluster probe images the suites deploy, and
# Testcontainers' reaper. Each step is cached under ${KAC_CACHE_DIR:-~/.cache/kube-access-conformance},
# so a warm run takes seconds; every step prints its duration.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/components/lib.sh"

version=${1:-$(sed -n 's/^export const UPSTREAM_NODE_IMAGE = "kindest\/node:\([^@]*\)@.*";/\1/p' "$here/../harness/kind/node-image.ts")}
step "components $version" "$here/components/all.sh" "$version"
step "node image $version" "$here/node/build.sh" "$version"
step "fixture image" "$here/fixtures/build.sh"
step "probe image" "$here/fixtures/probe/build.sh" "$version"
step "metallb images" "$here/metallb/build.sh"
step "harness image" "$here/harness/build.sh" "$version"
step "reaper image" "$here/reaper/build.sh"

printf '%-28s %9s\n' "offline build step" seconds
for row in "${STEP_TIMES[@]}"; do
  printf '%-28s %9s\n' "${row% *}" "${row##* }"
done
