#!/usr/bin/env bash
# Builds daprd from the Dapr release pinned in go.mod into the cache, once per pin (the recipe: tools/go-build.sh).
# The cache key hashes go.mod, go.sum, main.go and the build flags, so a new pin or recipe means a new build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../go-build.sh"

tool=daprd
tags=stablecomponents
version="$(go_module_version "$here/go.mod" github.com/dapr/dapr)"
ldflags="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${version#v}"
key_files=("$here/go.mod" "$here/go.sum" "$here/main.go")
key_flags="$tags $ldflags"
binaries=(daprd)
prints=binary
build_note="several minutes"

build_into() {
  (cd "$here" && go_build -tags "$tags" -ldflags "$ldflags" -o "$1/daprd" .)
}

go_tool_main "$@"
