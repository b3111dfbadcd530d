#!/usr/bin/env bash
# Builds dapr-inject (main.go: Dapr's sidecar injector applied to one Pod without a cluster) from the Dapr release
# pinned in go.mod (via the Go module proxy) into the cache, once per pin.
#   build.sh          build if missing, then print the binary's path
#   build.sh --path   print the binary's path if it is built; exit 3 otherwise (never builds)
# SITTER_GO_BUILD_JOBS limits the build's parallelism; SITTER_GO_BUILD_VERBOSE=1 names each package as it compiles.
# The cache key hashes go.mod, go.sum and main.go.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${SITTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitter}"

version="$(awk '$1 == "github.com/dapr/dapr" { print $2; exit } $2 == "github.com/dapr/dapr" { print $3; exit }' "$here/go.mod")"
[ -n "$version" ] || { echo "build.sh: no github.com/dapr/dapr requirement in $here/go.mod" >&2; exit 1; }
key="$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-12)"
binary="$cache/dapr-inject/$version-$key/dapr-inject"

if [ "${1:-}" = "--path" ]; then
  [ -x "$binary" ] && { echo "$binary"; exit 0; }
  echo "dapr-inject $version is not built: run 'npm run infra:provision' (or 'bash tools/dapr-inject/build.sh')" >&2
  exit 3
fi

build() {
  if [ -x "$binary" ]; then
    echo "dapr-inject $version: cached at $binary" >&2
    return 0
  fi
  command -v go >/dev/null || { echo "build.sh: Go is not installed; dapr-inject needs Go >= $(awk '$1 == "go" { print $2 }' "$here/go.mod")" >&2; exit 1; }
  echo "dapr-inject $version: building with $(go env GOVERSION) (first time only; a few minutes)" >&2
  local started=$SECONDS
  mkdir -p "$(dirname "$binary")"
  partial="$(mktemp "$(dirname "$binary")/.dapr-inject.XXXXXX")"
  trap 'rm -f "${partial:-}"' EXIT
  (cd "$here" && CGO_ENABLED=0 GOTOOLCHAIN="${SITTER_GOTOOLCHAIN:-auto}" GOFLAGS="-mod=readonly -buildvcs=false" \
    nice -n 10 go build ${SITTER_GO_BUILD_VERBOSE:+-v} -p "${SITTER_GO_BUILD_JOBS:-$(nproc)}" -trimpath -ldflags "-s -w" -o "$partial" .)
  mv "$partial" "$binary"
  echo "dapr-inject $version: built in $((SECONDS - started))s -> $binary" >&2
}

mkdir -p "$cache/locks"
(
  flock -w 1800 9 || { echo "build.sh: timed out waiting for another dapr-inject build" >&2; exit 1; }
  build
) 9>"$cache/locks/dapr-inject.lock"
echo "$binary"
