#!/usr/bin/env bash
# Builds dapr-inject (main.go: Dapr's sidecar injector applied to one Pod without a cluster) from the Dapr release
# pinned in go.mod into the cache, once per pin (the recipe: tools/go-build.sh). The cache key hashes go.mod, go.sum
# and main.go.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../go-build.sh"

tool=dapr-inject
version="$(go_module_version "$here/go.mod" github.com/dapr/dapr)"
key_files=("$here/go.mod" "$here/go.sum" "$here/main.go")
binaries=(dapr-inject)
prints=binary
build_note="a few minutes"

build_into() {
  (cd "$here" && go_build -ldflags "-s -w" -o "$1/dapr-inject" .)
}

go_tool_main "$@"
