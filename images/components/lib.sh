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
