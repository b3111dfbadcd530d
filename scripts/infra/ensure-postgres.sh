#!/usr/bin/env bash
# Prints the folder of Debian's PostgreSQL server binaries (initdb, postgres, pg_ctl, pg_isready:
# /usr/lib/postgresql/<version>/bin, the newest installed), installing Debian's postgresql package when none is there.
#   ensure-postgres.sh          install if missing, then print the folder
#   ensure-postgres.sh --path   print the folder if installed; exit 3 otherwise (never installs)
# SITTER_POSTGRES_BIN names another folder holding those binaries; SITTER_POSTGRES_LIB another folder of versions
# than Debian's /usr/lib/postgresql.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

REQUIRED=(initdb postgres pg_isready)

has_binaries() {
  local binary
  for binary in "${REQUIRED[@]}"; do [ -x "$1/$binary" ] || return 1; done
}

find_postgres() {
  if [ -n "${SITTER_POSTGRES_BIN:-}" ]; then
    has_binaries "$SITTER_POSTGRES_BIN" && echo "$SITTER_POSTGRES_BIN"
    return 0
  fi
  local dir
  # Debian installs each major version beside the others; the newest one wins.
  local lib="${SITTER_POSTGRES_LIB:-/usr/lib/postgresql}"
  for dir in $(ls -d "$lib"/*/bin 2>/dev/null | awk -F/ '{ print $(NF - 1) "\t" $0 }' | sort -n -r | cut -f2); do
    if has_binaries "$dir"; then echo "$dir"; return 0; fi
  done
}

bin="$(find_postgres)"
if [ "${1:-}" = "--path" ]; then
  [ -n "$bin" ] && { echo "$bin"; exit 0; }
  echo "PostgreSQL's server (initdb, postgres) is not installed: run 'npm run infra:provision'" >&2
  exit 3
fi

if [ -z "$bin" ]; then
  # Only the binaries are wanted: the tests initialise and start their own clusters on free ports. Where services
  # may start on install, Debian's default cluster on 5432 may come up too; it is not used.
  apt_install postgresql
  bin="$(find_postgres)"
  [ -n "$bin" ] || die "initdb and postgres still missing after apt-get install postgresql"
fi
"$bin/postgres" --version >/dev/null || die "$bin/postgres does not run on this machine"
echo "$bin"
