#!/usr/bin/env bash
# prepare.sh: what the real-proxy self-tests need before any proxy is started, so that no proxy
# command spends its 30 s start on an install or a build: nginx and HAProxy from Debian's packages,
# kubectl v1.35.4 from the Go module proxy (build-old-kubectl.sh, cached). Quick once done.
set -euo pipefail
PATH="$PATH:/usr/sbin"
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v haproxy >/dev/null || missing+=(haproxy)
if ((${#missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
bash "$(dirname "$0")/build-old-kubectl.sh" >/dev/null
