#!/usr/bin/env bash
# Prints the folder that holds the pinned schemas the chart tests validate against, fetched once with the Go
# module proxy into the cache:
#   dapr/*.yaml                Dapr's CRDs (charts/dapr/crds of github.com/dapr/dapr at DAPR_VERSION)
#   dapr-chart/                Dapr's own Helm chart (charts/dapr), which k8s/dapr-values.yaml configures
#   skaffold/<schema>.json     skaffold's JSON schema (docs-v2 of github.com/GoogleContainerTools/skaffold/v2)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

DAPR_VERSION=v1.18.2
SKAFFOLD_VERSION=v2.16.1
SKAFFOLD_SCHEMA=v4beta13

out="$SITTER_CACHE/schemas/dapr-$DAPR_VERSION-skaffold-$SKAFFOLD_VERSION"

# module_dir MODULE@VERSION: downloads one module into a private module cache and prints its folder.
module_dir() {
  (
    cd "$work"
    go mod download -json "$1" >"$work/download.json" || die "go mod download $1 failed: $(cat "$work/download.json")"
  )
  node -e '
    const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (info.Error || !info.Dir) { console.error(info.Error || "no Dir"); process.exit(1); }
    console.log(info.Dir);
  ' "$work/download.json"
}

fetch() {
  [ -f "$out/.complete" ] && return 0
  command -v go >/dev/null || die "go is required to fetch the Dapr and skaffold schemas from the Go module proxy"
  work="$(mktemp -d)"
  export GOMODCACHE="$work/gomod" GOFLAGS=-mod=mod GOTOOLCHAIN=local GO111MODULE=on
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

  local dapr skaffold staging
  dapr="$(module_dir "github.com/dapr/dapr@$DAPR_VERSION")"
  skaffold="$(module_dir "github.com/GoogleContainerTools/skaffold/v2@$SKAFFOLD_VERSION")"
  staging="$work/out"
  mkdir -p "$staging/dapr" "$staging/skaffold"
  cp "$dapr"/charts/dapr/crds/*.yaml "$staging/dapr/"
  cp -r "$dapr/charts/dapr" "$staging/dapr-chart"
  chmod -R u+w "$staging/dapr-chart"
  cp "$skaffold/docs-v2/content/en/schemas/$SKAFFOLD_SCHEMA.json" "$staging/skaffold/"
  echo "dapr $DAPR_VERSION, skaffold $SKAFFOLD_VERSION ($SKAFFOLD_SCHEMA)" >"$staging/.complete"
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  mv "$staging" "$out"
}

with_lock schemas fetch
echo "$out"
