# shellcheck shell=bash
# Shared helpers for the image build scripts. Sourced, never run.

# Build outputs live outside the checkout so every worktree and CI run shares them.
CACHE="${KAC_CACHE_DIR:-$HOME/.cache/kube-access-conformance}"
# Debian's Go is too old for Kubernetes; the project's machines install Go here.
PATH="$PATH:/usr/local/go/bin"
STEP_TIMES=()

# step NAME CMD...: run CMD, print how long it took and remember it for a summary.
step() {
  local name=$1 start=$EPOCHREALTIME secs
  shift
  echo "==> $name" >&2
  "$@"
  secs=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }")
  echo "<== $name: ${secs}s" >&2
  STEP_TIMES+=("$name $secs")
}

# cached PATH: true (and says so) when a previous run already produced PATH.
cached() {
  [[ -e $1 ]] && echo "cached: $1" >&2
}

# image_tag K8S_VERSION NAME: the tag kubeadm wants for image NAME (from kubernetes.sh's images.txt).
image_tag() {
  local ref
  ref=$(grep -m1 "/$2:" "$CACHE/kubernetes/$1/images.txt") ||
    { echo "no $2 image in $CACHE/kubernetes/$1/images.txt (run kubernetes.sh $1 first)" >&2 && return 1; }
  echo "${ref##*:}"
}

# The Kubernetes versions, from the file the harness reads too (in a checkout, and in the installed
# package's dist/ alike: images/ and harness/ sit side by side in both).
VERSIONS_JSON="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/harness/kind/kubernetes-versions.json"

# k8s_version [MINOR|VERSION]: the offline build's version of a minor (1.35 → its patch release); a
# full version (v1.35.4) as given; nothing: the default minor's.
k8s_version() {
  local wanted=${1:-} version
  [[ $wanted == v*.*.* ]] && { echo "$wanted"; return; }
  version=$(jq -r --arg m "${wanted#v}" '.minors[if $m == "" then .defaultMinor else $m end].offline // empty' "$VERSIONS_JSON")
  [[ -n $version ]] || { echo "Kubernetes $wanted is not in $VERSIONS_JSON (minors: $(jq -r '.minors | keys | join(", ")' "$VERSIONS_JSON"))" >&2; return 1; }
  echo "$version"
}

# go_toolchain VERSION: the Go toolchain the versions file names for building VERSION, if any (a
# pre-release may need a newer Go than the machine's; the go command fetches it from the module proxy).
go_toolchain() {
  jq -r --arg v "$1" '[.minors[] | select(.offline == $v) | .goToolchain // empty][0] // empty' "$VERSIONS_JSON"
}
