#!/usr/bin/env bash
# pause.sh K8S_VERSION: build the pause binary that kubeadm K8S_VERSION expects into
# $CACHE/pause/VERSION/pause, from the pause.c that ships inside the k8s.io/kubernetes module.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k8s=${1:?usage: pause.sh K8S_VERSION}
version=$(image_tag "$k8s" pause) # e.g. 3.10.1
out="$CACHE/pause/$version"

if ! cached "$out/pause"; then
  src="$(go mod download -json "k8s.io/kubernetes@$k8s" | jq -r .Dir)/build/pause/linux/pause.c"
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  # Flags as in build/pause/Makefile: static, so it runs in an empty image.
  gcc -Os -Wall -Werror -static -DVERSION="v$version" -o "$out.tmp/pause" "$src"
  strip "$out.tmp/pause"
  mv -T "$out.tmp" "$out"
fi
"$out/pause" -v
