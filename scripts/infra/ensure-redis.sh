#!/usr/bin/env bash
# Prints the path of redis-server, installing Debian's redis-server package when it is missing.
#   ensure-redis.sh          install if missing, then print the path
#   ensure-redis.sh --path   print the path if installed; exit 3 otherwise (never installs)
# SITTER_REDIS_SERVER names another binary to use instead.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

find_redis() {
  if [ -n "${SITTER_REDIS_SERVER:-}" ]; then
    [ -x "$SITTER_REDIS_SERVER" ] && echo "$SITTER_REDIS_SERVER"
    return 0
  fi
  command -v redis-server || true
}

redis="$(find_redis)"
if [ "${1:-}" = "--path" ]; then
  [ -n "$redis" ] && { echo "$redis"; exit 0; }
  echo "redis-server is not installed: run 'npm run infra:provision'" >&2
  exit 3
fi

if [ -z "$redis" ]; then
  # Only the binary is wanted: the tests start their own servers on free ports. Where services may start
  # on install (no policy-rc.d), the distribution's default instance on 6379 may come up too; it is not used.
  bash "$(dirname "$0")/ensure-debian.sh" redis-server=redis-server >/dev/null
  redis="$(find_redis)"
fi
"$redis" --version >/dev/null || die "$redis does not run on this machine"
echo "$redis"
