# Sourced by tools/*/build.sh: the one recipe for building binaries from Go modules pinned in go.mod into the cache,
# once per pin. The caller sets
#   tool        its name (cache folder, lock, messages)
#   version     the pinned release it builds (go_module_version reads it from a go.mod)
#   key_files   files whose hash, with key_flags and the version, names the cache folder
#   key_flags   the build flags that go into that hash (may be empty)
#   binaries    the files the build leaves in its folder
#   prints      'binary' (the first binary's path) or 'dir' (the folder), what build.sh prints on success
#   build_note  how long a first build takes, for the progress message
# defines build_into DIR (builds every binary into DIR, calling go_build), then calls go_tool_main "$@".
#   build.sh          build if missing, then print the path
#   build.sh --path   print the path if it is built; exit 3 otherwise (never builds)
# SITTER_GO_BUILD_JOBS limits the build's parallelism (go build -p; default: every core);
# SITTER_GO_BUILD_VERBOSE=1 names each package as it compiles (provision.ts counts them for its progress line).
# An unchanged pin costs a hash and a file test.

cache="${SITTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitter}"

# go_module_version GO_MOD MODULE: the version MODULE is required at, or nothing.
go_module_version() {
  awk -v m="$2" '$1 == m { print $2; exit } $2 == m { print $3; exit }' "$1"
}

go_build() {
  # GOTOOLCHAIN=auto: a Go older than go.mod's go line fetches that toolchain from the module proxy.
  # nice: the build takes every core for minutes; tests and editors running beside it stay responsive.
  CGO_ENABLED=0 GOTOOLCHAIN="${SITTER_GOTOOLCHAIN:-auto}" GOFLAGS="-mod=readonly -buildvcs=false" \
    nice -n 10 go build ${SITTER_GO_BUILD_VERBOSE:+-v} -p "${SITTER_GO_BUILD_JOBS:-$(nproc)}" -trimpath "$@"
}

_go_tool_built() {
  local binary
  for binary in "${binaries[@]}"; do [ -x "$target_dir/$binary" ] || return 1; done
}

_go_tool_output() {
  if [ "$prints" = dir ]; then echo "$target_dir"; else echo "$target_dir/${binaries[0]}"; fi
}

_go_tool_build() {
  if _go_tool_built; then
    echo "$tool $version: cached at $(_go_tool_output)" >&2
    return 0
  fi
  local wanted minor
  wanted="$(awk '$1 == "go" { print $2 }' "$here/go.mod")"
  command -v go >/dev/null || { echo "build.sh: Go is not installed; $tool $version needs Go $wanted, which any Go from 1.21 on fetches by itself" >&2; exit 1; }
  # Go 1.21 and later fetch go.mod's toolchain (GOTOOLCHAIN=auto); an older one only fails with a less clear message.
  minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  [ "${minor:-0}" -ge 21 ] || { echo "build.sh: $(go env GOVERSION) is too old to fetch Go $wanted for $tool $version; install Go 1.21 or newer" >&2; exit 1; }
  echo "$tool $version: building ${binaries[*]} with $(go env GOVERSION) (first time only; $build_note)" >&2
  local started=$SECONDS
  mkdir -p "$cache/$tool"
  partial="$(mktemp -d "$cache/$tool/.$version.XXXXXX")"
  trap 'rm -rf "${partial:-}"' EXIT
  build_into "$partial"
  rm -rf "$target_dir"
  mv "$partial" "$target_dir"
  echo "$tool $version: built in $((SECONDS - started))s -> $(_go_tool_output)" >&2
}

go_tool_main() {
  [ -n "$version" ] || { echo "build.sh: no version of $tool pinned in $here/go.mod" >&2; exit 1; }
  local key
  key="$({ cat "${key_files[@]}"; [ -z "${key_flags:-}" ] || echo "$key_flags"; } | sha256sum | cut -c1-12)"
  target_dir="$cache/$tool/$version-$key"
  if [ "${1:-}" = "--path" ]; then
    _go_tool_built && { _go_tool_output; exit 0; }
    echo "$tool $version is not built: run 'npm run infra:provision' (or 'bash tools/$tool/build.sh')" >&2
    exit 3
  fi
  mkdir -p "$cache/locks"
  (
    flock -w 1800 9 || { echo "build.sh: timed out waiting for another $tool build" >&2; exit 1; }
    _go_tool_build
  ) 9>"$cache/locks/$tool.lock" # set -e: a failed build ends build.sh here (a "|| exit" would switch set -e off inside)
  _go_tool_output
}
