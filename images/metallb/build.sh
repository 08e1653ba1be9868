#!/usr/bin/env bash
# build.sh: MetalLB's controller and speaker images, kac.local/metallb-controller:VERSION and
# kac.local/metallb-speaker:VERSION, from the Go module go.universe.tf/metallb at the version the harness
# installs (METALLB_VERSION in harness/kind/actions/install-load-balancer), and the upstream manifest of
# that version (config/manifests/metallb-native.yaml of the same module), saved beside this script as
# metallb-native.yaml for the harness to apply with the image names replaced.
#
# Static binaries (no cgo) in images FROM scratch: upstream's base (distroless/static) adds CA
# certificates, tzdata and /etc/passwd, which neither the controller nor the speaker in L2 mode uses
# (in-cluster credentials carry their own CA, the manifest's user IDs are numeric, ARP needs only
# NET_RAW). The speaker image leaves out the FRR-mode helpers (cp-tool, frr-metrics, frr-reloader.sh).
# Built in module/ (MetalLB's requirements, pinned by its go.sum) with one substitution the Go module
# proxy forces: github.com/metallb/frr-k8s v0.0.26 patched to v0.0.27's API (frr-k8s-v0.0.27-api.patch).
# Skipped when both images carry the cache key of these inputs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../components/lib.sh"

module=go.universe.tf/metallb
frr_base=github.com/metallb/frr-k8s@v0.0.26
# The harness's constant, in a checkout (.ts) or the installed package (.js): one version for both.
version=
for source in "$here"/../../harness/kind/actions/install-load-balancer.{ts,js}; do
  [[ -f $source ]] && version=$(sed -n 's/^export const METALLB_VERSION = "\(v[^"]*\)";/\1/p' "$source") && break
done
[[ -n $version ]] || { echo "METALLB_VERSION not found in harness/kind/actions/install-load-balancer" >&2; exit 1; }
grep -q "^require $module $version\$" "$here/module/go.mod" ||
  { echo "$here/module/go.mod does not require $module $version (METALLB_VERSION): update it and its go.sum" >&2; exit 1; }
manifest="$here/metallb-native.yaml"

key=$( { echo "$module@$version $frr_base"; go env GOVERSION; cat "$here/build.sh" "$here/module/go.mod" "$here/module/go.sum" "$here/module/tools.go" "$here/frr-k8s-v0.0.27-api.patch"; } | sha256sum | cut -c1-16)
label() { docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$1" 2>/dev/null || true; }
if [[ $(label "kac.local/metallb-controller:$version") == "$key" && $(label "kac.local/metallb-speaker:$version") == "$key" ]] &&
   grep -q "quay.io/metallb/controller:$version" "$manifest" 2>/dev/null; then
  echo "cached: kac.local/metallb-controller:$version, kac.local/metallb-speaker:$version ($key)" >&2
  exit 0
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
# Outside any module: the downloads are checked against the checksum database.
download() { env -C "$context" GOFLAGS= go mod download -json "$1"; }
metallb=$(download "$module@$version")
unzip -l "$(jq -r .Zip <<<"$metallb")" "$module@$version/config/manifests/metallb-native.yaml" >/dev/null ||
  { echo "$module@$version carries no config/manifests/metallb-native.yaml" >&2; exit 1; }
if ! cmp -s "$(jq -r .Dir <<<"$metallb")/config/manifests/metallb-native.yaml" "$manifest"; then
  cp "$(jq -r .Dir <<<"$metallb")/config/manifests/metallb-native.yaml" "$manifest" && chmod 644 "$manifest"
  echo "saved $manifest (MetalLB $version)" >&2
fi

mkdir -p "$context/build"
cp "$here/module/go.mod" "$here/module/go.sum" "$here/module/tools.go" "$context/build/"
cp -r "$(jq -r .Dir <<<"$(download "$frr_base")")" "$context/build/frr-k8s"
chmod -R u+w "$context/build/frr-k8s"
patch -s -d "$context/build/frr-k8s" -p1 < "$here/frr-k8s-v0.0.27-api.patch"
cp "$(jq -r .Dir <<<"$metallb")/LICENSE" "$context/LICENSE"

# GOTOOLCHAIN=local: MetalLB's go line (1.26.0) is what it needs; its toolchain line would fetch a newer
# Go for a patch release.
ldflags="-s -w -X $module/internal/version.gitCommit=$version -X $module/internal/version.gitBranch=$version"
for component in controller speaker; do
  mkdir -p "$context/$component"
  step "go build metallb $component" env -C "$context/build" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    go build -trimpath -ldflags="$ldflags" -o "$context/$component/$component" "$module/$component"
  cp "$context/LICENSE" "$context/$component/"
  printf 'FROM scratch\nCOPY LICENSE /\nCOPY %s /%s\nENTRYPOINT ["/%s"]\n' "$component" "$component" "$component" > "$context/$component/Dockerfile"
  image=kac.local/metallb-$component:$version
  step "docker build $image" docker build -q --label "io.kac.cache-key=$key" \
    --label "org.opencontainers.image.source=https://github.com/metallb/metallb" \
    --label "org.opencontainers.image.version=$version" -t "$image" "$context/$component" >/dev/null
done
