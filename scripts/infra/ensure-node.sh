#!/usr/bin/env bash
# Prints the bin folder of the Node.js that `npm test` runs every check under: the version in .node-version (the
# current LTS, the one the runtime image uses), from the npm registry's node-linux-<arch> package, which ships the
# official binary. Fetched once per version; a cache hit costs a file test.
#   ensure-node.sh          fetch if missing, then print the folder
#   ensure-node.sh --path   print the folder if fetched; exit 3 otherwise (never fetches)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

version="$(tr -d ' \n' <"$REPO_ROOT/.node-version")"
[ -n "$version" ] || die "$REPO_ROOT/.node-version is empty"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "no node-linux package for $(uname -m)" ;;
esac
home="$SITTER_CACHE/node/$version-linux-$arch"

if [ "${1:-}" = "--path" ]; then
  [ -x "$home/bin/node" ] && { echo "$home/bin"; exit 0; }
  echo "Node $version is not fetched: run 'npm run infra:provision'" >&2
  exit 3
fi

fetch() {
  [ -x "$home/bin/node" ] && return 0
  command -v npm >/dev/null || die "npm is needed to fetch Node $version from the npm registry"
  say "fetching Node $version (node-linux-$arch) from the npm registry"
  local tmp
  mkdir -p "$(dirname "$home")"
  tmp="$(mktemp -d "$(dirname "$home")/.fetch.XXXXXX")"
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null) || { rm -rf "$tmp"; die "npm pack node-linux-$arch@$version failed"; }
  tar -xzf "$tmp"/node-linux-"$arch"-"$version".tgz -C "$tmp"
  rm -rf "$home"
  mv "$tmp/package" "$home"
  rm -rf "$tmp"
}

[ -x "$home/bin/node" ] || with_lock node fetch
[ "$("$home/bin/node" --version)" = "v$version" ] || die "$home/bin/node is not Node $version; delete $home and retry"
echo "$home/bin"
