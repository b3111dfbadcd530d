#!/usr/bin/env bash
# Prints the path of kcat (the decliner README's producer example), installing Debian's kcat when missing.
#   ensure-kcat.sh          install if missing, then print the path
#   ensure-kcat.sh --path   print the path if installed; exit 3 otherwise (never installs)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

kcat="$(command -v kcat || true)"
if [ "${1:-}" = "--path" ]; then
  [ -n "$kcat" ] && { echo "$kcat"; exit 0; }
  echo "kcat is not installed: run 'npm run infra:provision'" >&2
  exit 3
fi
if [ -z "$kcat" ]; then
  with_lock kcat bash -c '. "$0/../lib.sh"; command -v kcat >/dev/null || apt_install kcat' "$(dirname "$0")"
  kcat="$(command -v kcat)" || die "kcat is still missing after apt-get install"
fi
"$kcat" -V >/dev/null || die "$kcat does not run on this machine"
echo "$kcat"
