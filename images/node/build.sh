#!/usr/bin/env bash
# build.sh [VERSION]: build the kind-compatible node image kac.local/node:VERSION (default: the default
# minor's offline version)
# from a debootstrapped Debian trixie and the Kubernetes artifacts that images/components/ leaves in
# $CACHE/kubernetes/VERSION (bin/, images.txt, images.tar), and the CNI agent built from cni/agent/.
# Every stage is cached: the rootfs by its package list, the image by a key over all its inputs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../components/lib.sh"

version=$(k8s_version "${1:-}")
k8s="$CACHE/kubernetes/$version"
image="kac.local/node:$version"
agent="kac.local/cni-agent:$version"
storage="kac.local/local-path-provisioner:v0.0.30" # built by images/components/local-path-provisioner.sh
suite=trixie # containerd 1.7, as the kindest/node line for Kubernetes 1.3x; systemd 257
packages=(
  systemd systemd-sysv dbus                        # init, as in kindest/node
  containerd runc containernetworking-plugins      # CRI runtime, CNI plugins in /usr/lib/cni
  iptables nftables iproute2 conntrack ethtool socat kmod # what kubelet, kube-proxy, kubeadm call
  mount util-linux procps ca-certificates bash
)

command -v debootstrap >/dev/null || { echo "needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }

rootfs_key=$(echo "$suite ${packages[*]}" | sha256sum | cut -c1-16)
rootfs_tar="$CACHE/node/rootfs-$suite-$rootfs_key.tar"
rootfs_image="kac.local/node-rootfs:$rootfs_key"

make_rootfs() (
  local dir="$rootfs_tar.d"
  rm -rf "$dir"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
    "$suite" "$dir" "${KAC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  # Downloaded packages, docs and translations: about 150 MB a node does not need.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* \
    "$dir"/usr/share/{doc,man,locale,info}/*
  tar -C "$dir" -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$dir"
)

# The build context: hard links into the cache (same file system), so nothing large is copied.
make_context() {
  ctx="$CACHE/node/context-$version"
  rm -rf "$ctx"
  mkdir -p "$ctx"/{bin,images,cni,storage}
  ln "$k8s"/bin/{kubeadm,kubelet,kubectl} "$ctx/bin/"
  # The agent in the node too: the harness writes each node's CNI config with it before kubelet starts.
  ln "$agent_bin" "$ctx/bin/kac-cni-agent"
  ln "$k8s/images.tar" "$ctx/images/kubernetes.tar"
  cp -r "$here/files" "$here/Dockerfile" "$ctx/"
  cp "$here/cni/default-cni.yaml" "$ctx/cni/"
  cp "$here/storage/default-storage.yaml" "$ctx/storage/"
  local agent_ctx="$CACHE/node/cni-agent-$version"
  rm -rf "$agent_ctx"
  mkdir -p "$agent_ctx"
  ln "$agent_bin" "$agent_ctx/kac-cni-agent"
  cp "$here/cni/Dockerfile" "$agent_ctx/"
}

# The CNI agent's binary, cached by its sources: the same file (and mtime) each time keeps the agent
# image's ID, and with it the node image's key, unchanged.
build_agent() {
  CGO_ENABLED=0 go -C "$here/cni/agent" build -trimpath -ldflags=-s -o "$agent_bin.tmp" . && mv "$agent_bin.tmp" "$agent_bin"
}

mkdir -p "$CACHE/node"
cached "$rootfs_tar" || step "debootstrap $suite" make_rootfs
docker image inspect "$rootfs_image" >/dev/null 2>&1 ||
  step "import rootfs" docker import "$rootfs_tar" "$rootfs_image"

for f in "$k8s"/bin/{kubeadm,kubelet,kubectl} "$k8s/images.txt" "$k8s/images.tar"; do
  [[ -e $f ]] || { echo "missing $f: build it with images/components/ first" >&2; exit 1; }
done
agent_key=$(cd "$here/cni/agent" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)
agent_bin="$CACHE/node/kac-cni-agent-$agent_key"
cached "$agent_bin" || step "cni-agent binary" build_agent
step "build context" make_context
step "cni-agent image" docker build -q -t "$agent" "$CACHE/node/cni-agent-$version" >/dev/null

sandbox=$(grep -m1 '/pause:' "$k8s/images.txt")
agent_id=$(docker image inspect -f '{{.Id}}' "$agent")
storage_id=$(docker image inspect -f '{{.Id}}' "$storage")
key=$( {
  echo "$version $sandbox $rootfs_key $agent_id $storage_id"
  cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum
} | sha256sum | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$image" 2>/dev/null) == "$key" ]]; then
  echo "cached: $image ($key)" >&2
  exit 0
fi
old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
step "save cni-agent" docker save -o "$ctx/images/cni-agent.tar" "$agent"
step "save storage" docker save -o "$ctx/images/storage.tar" "$storage"
step "node image" docker build -q -t "$image" --label "io.kac.cache-key=$key" \
  --build-arg ROOTFS="$rootfs_image" --build-arg VERSION="$version" \
  --build-arg SANDBOX_IMAGE="$sandbox" "$ctx" >/dev/null
echo "built: $image ($key)" >&2
# The image this one replaces is 1 GB; drop it unless a container still uses it.
if [[ -n $old && $old != $(docker image inspect -f '{{.Id}}' "$image") ]]; then
  docker rmi "$old" >/dev/null 2>&1 || true
fi
