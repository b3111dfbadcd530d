#!/usr/bin/env bash
# Builds daprd from the Dapr release pinned in go.mod (via the Go module proxy) into the cache, once per pin.
#   build.sh          build if missing, then print the binary's path
#   build.sh --path   print the binary's path if it is built; exit 3 otherwise (never builds)
# SITTER_GO_BUILD_JOBS limits the build's parallelism (go build -p; default: every core);
# SITTER_GO_BUILD_VERBOSE=1 names each package as it compiles (provision.ts counts them for its progress line).
# The cache key hashes go.mod, go.sum, main.go and the build flags, so a new pin or recipe means a new build;
# an unchanged one costs a hash and a file test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${SITTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitter}"

tags=stablecomponents
version="$(awk '$1 == "github.com/dapr/dapr" { print $2; exit } $2 == "github.com/dapr/dapr" { print $3; exit }' "$here/go.mod")"
[ -n "$version" ] || { echo "build.sh: no github.com/dapr/dapr requirement in $here/go.mod" >&2; exit 1; }
ldflags="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${version#v}"
key="$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" <(echo "$tags $ldflags") | sha256sum | cut -c1-12)"
target_dir="$cache/daprd/$version-$key"
binary="$target_dir/daprd"

if [ "${1:-}" = "--path" ]; then
  [ -x "$binary" ] && { echo "$binary"; exit 0; }
  echo "daprd $version is not built: run 'npm run infra:up' (or 'bash tools/daprd/build.sh')" >&2
  exit 3
fi

build() {
  if [ -x "$binary" ]; then
    echo "daprd $version: cached at $binary" >&2
    return 0
  fi
  local wanted
  wanted="$(awk '$1 == "go" { print $2 }' "$here/go.mod")"
  command -v go >/dev/null || { echo "build.sh: Go is not installed; daprd $version needs Go $wanted, which any Go from 1.21 on fetches by itself" >&2; exit 1; }
  # Go 1.21 and later fetch go.mod's toolchain (GOTOOLCHAIN=auto); an older one only fails with a less clear message.
  local minor
  minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  [ "${minor:-0}" -ge 21 ] || { echo "build.sh: $(go env GOVERSION) is too old to fetch Go $wanted for daprd $version; install Go 1.21 or newer" >&2; exit 1; }
  echo "daprd $version: building with $(go env GOVERSION), -tags $tags (first time only; several minutes)" >&2
  local started=$SECONDS
  mkdir -p "$target_dir"
  partial="$(mktemp "$target_dir/.daprd.XXXXXX")"
  trap 'rm -f "${partial:-}"' EXIT
  # GOTOOLCHAIN=auto: a Go older than go.mod's go line fetches that toolchain from the module proxy.
  # nice: the build takes every core for minutes; tests and editors running beside it stay responsive.
  (cd "$here" && CGO_ENABLED=0 GOTOOLCHAIN="${SITTER_GOTOOLCHAIN:-auto}" GOFLAGS="-mod=readonly -buildvcs=false" \
    nice -n 10 go build ${SITTER_GO_BUILD_VERBOSE:+-v} -p "${SITTER_GO_BUILD_JOBS:-$(nproc)}" -trimpath -tags "$tags" -ldflags "$ldflags" -o "$partial" .)
  mv "$partial" "$binary"
  echo "daprd $version: built in $((SECONDS - started))s -> $binary" >&2
}

mkdir -p "$cache/locks"
(
  flock -w 1800 9 || { echo "build.sh: timed out waiting for another daprd build" >&2; exit 1; }
  build
) 9>"$cache/locks/daprd.lock"
echo "$binary"
