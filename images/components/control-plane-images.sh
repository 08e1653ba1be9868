#!/usr/bin/env bash
# control-plane-images.sh K8S_VERSION: wrap the binaries built by kubernetes.sh, etcd.sh, coredns.sh and
# pause.sh in images tagged exactly as kubeadm K8S_VERSION expects, and save them all in one tarball,
# $CACHE/kubernetes/K8S_VERSION/images.tar, for the node image to import into containerd.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

k8s=${1:?usage: control-plane-images.sh K8S_VERSION}
out="$CACHE/kubernetes/$k8s"
netbase=kac.local/netbase:bookworm
# kube-proxy programs the node through these tools (iptables ships both its nft and legacy variants;
# nftables adds `nft` for --proxy-mode=nftables).
netbase_packages=iptables,iproute2,conntrack,ipset,nftables
# Images built from a tarball or scratch have no environment; kubeadm's manifests call binaries by name.
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

label() { docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$1" 2>/dev/null || true; }

netbase_image() {
  local key rootfs
  key=$(echo "bookworm minbase $netbase_packages" | sha256sum | cut -c1-16)
  rootfs="$CACHE/netbase/$key/rootfs.tar"
  if ! cached "$rootfs"; then
    rm -rf "$rootfs.d"
    mkdir -p "${rootfs%/*}"
    debootstrap --variant=minbase --include="$netbase_packages" bookworm "$rootfs.d" >"$rootfs.log"
    # Package caches and docs only make the image bigger.
    rm -rf "$rootfs.d"/var/cache/apt/* "$rootfs.d"/var/lib/apt/lists/* "$rootfs.d"/usr/share/{doc,man,info,locale}
    tar -C "$rootfs.d" --numeric-owner -cf "$rootfs.tmp" .
    mv "$rootfs.tmp" "$rootfs"
    rm -rf "$rootfs.d"
  fi
  [[ $(label "$netbase") == "$key" ]] ||
    docker import --change "ENV PATH=$path" --change "LABEL io.kac.cache-key=$key" "$rootfs" "$netbase"
}

# image REF FROM BINARY DEST [DOCKERFILE_LINE]: REF is FROM plus BINARY at DEST, which is its entrypoint.
image() {
  local ref=$1 from=$2 bin=$3 dest=$4 extra=${5:-} dockerfile key ctx
  dockerfile="FROM $from
COPY $(basename "$bin") $dest
ENV PATH=$path
$extra
ENTRYPOINT [\"$dest\"]"
  # Inputs: the recipe, the binary and, for a non-scratch base, that base's own key.
  key=$({ echo "$dockerfile"; sha256sum <"$bin"; [[ $from == scratch ]] || label "$from"; } | sha256sum | cut -c1-16)
  if [[ $(label "$ref") == "$key" ]]; then
    echo "cached: $ref" >&2
    return
  fi
  ctx=$(mktemp -d)
  cp "$bin" "$ctx/"
  docker build -q --label "io.kac.cache-key=$key" -t "$ref" -f - "$ctx" <<<"$dockerfile"
  rm -rf "$ctx"
}

mapfile -t refs <"$out/images.txt"
for ref in "${refs[@]}"; do
  name=${ref%:*}
  name=${name##*/}
  tag=${ref##*:}
  case $name in
    kube-proxy)
      netbase_image
      image "$ref" "$netbase" "$out/bin/$name" "/usr/local/bin/$name"
      ;;
    kube-*) image "$ref" scratch "$out/bin/$name" "/usr/local/bin/$name" ;;
    etcd) image "$ref" scratch "$CACHE/etcd/v${tag%-*}/etcd" /usr/local/bin/etcd ;;
    # Upstream runs CoreDNS as a non-root user with a file capability to bind port 53; as root (kubeadm's
    # Deployment grants NET_BIND_SERVICE) it needs neither.
    coredns) image "$ref" scratch "$CACHE/coredns/$tag/coredns" /coredns ;;
    pause) image "$ref" scratch "$CACHE/pause/$tag/pause" /pause "USER 65535:65535" ;;
    *) echo "no recipe for $ref" >&2 && exit 1 ;;
  esac
done

# Re-save only when some image changed: the key is every image's ID.
key=$(docker image inspect -f '{{.Id}}' "${refs[@]}" | sha256sum)
if [[ ! -e $out/images.tar || $(cat "$out/images.tar.key" 2>/dev/null) != "$key" ]]; then
  docker save -o "$out/images.tar.tmp" "${refs[@]}"
  mv "$out/images.tar.tmp" "$out/images.tar"
  echo "$key" >"$out/images.tar.key"
fi
du -h "$out/images.tar"
