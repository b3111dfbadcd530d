#!/usr/bin/env bash
# Prints the path of Debian's chromium (the GraphiQL browser test drives it with playwright-core), installing it
# when it is missing.
#   ensure-chromium.sh          install if missing, then print the path
#   ensure-chromium.sh --path   print the path if installed; exit 3 otherwise (never installs)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

chromium="$(command -v chromium || true)"
if [ "${1:-}" = "--path" ]; then
  [ -n "$chromium" ] && { echo "$chromium"; exit 0; }
  echo "chromium is not installed: run 'npm run infra:provision'" >&2
  exit 3
fi

if [ -z "$chromium" ]; then
  bash "$(dirname "$0")/ensure-debian.sh" chromium=chromium >/dev/null
  chromium="$(command -v chromium)" || die "chromium still missing after apt-get install"
fi
echo "$chromium"
