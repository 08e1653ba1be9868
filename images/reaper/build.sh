#!/usr/bin/env bash
# build.sh: Testcontainers' reaper, offline. Builds Ryuk (github.com/testcontainers/moby-ryuk) at the
# release testcontainers-node asks for from the Go module proxy, into kac.local/ryuk:TAG, which the
# harness uses where testcontainers/ryuk:TAG is neither present nor pullable. Like upstream's image: the
# static binary on scratch, labelled as a reaper.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../components/lib.sh"

# testcontainers-node 12's reaper (testcontainers/ryuk:0.14.0). Ryuk's tags lack the "v" Go wants, so
# the proxy serves that tag's commit (b3726afd6cc2) by its pseudo-version only.
tag=0.14.0
module="github.com/testcontainers/moby-ryuk@v0.0.0-20250926081232-b3726afd6cc2"
out="$CACHE/ryuk/$tag"
image="kac.local/ryuk:$tag"

build() (
  # `go install module@version` asks the proxy for the module's version list, which it refuses for this
  # module; a wrapper module that requires the exact version needs only that version.
  wrapper=$(mktemp -d)
  trap 'rm -rf "$wrapper"' EXIT
  cd "$wrapper"
  go mod init kac.local/ryuk-build >/dev/null 2>&1
  log=$(go get "$module" 2>&1) || { echo "$log" >&2; exit 1; }
  mkdir -p "$out.tmp"
  CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out.tmp/moby-ryuk" "${module%@*}"
  mv -T "$out.tmp" "$out"
)
cached "$out/moby-ryuk" || step "go build moby-ryuk $tag" build
key=$(sha256sum < "$out/moby-ryuk" | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "io.kac.cache-key"}}' "$image" 2>/dev/null) == "$key" ]]; then
  echo "cached: $image ($key)" >&2
  exit 0
fi
printf 'FROM scratch\nCOPY moby-ryuk /bin/ryuk\nCMD ["/bin/ryuk"]\nLABEL org.testcontainers.ryuk=true\n' |
  docker build -q -f - -t "$image" --label "io.kac.cache-key=$key" "$out" >/dev/null
echo "$image"
