# Shared by the ensure-*.sh scripts: the cache folder and a lock, so that parallel test workers
# install a tool once. Everything goes under ~/.cache/sitter (or $SITTER_CACHE_DIR), never into the clone.
SITTER_CACHE="${SITTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitter}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# with_lock NAME COMMAND...: runs COMMAND while holding $SITTER_CACHE/locks/NAME.
with_lock() {
  local name="$1"
  shift
  mkdir -p "$SITTER_CACHE/locks"
  (
    flock -w 900 9 || { echo "timed out waiting for the lock $name" >&2; exit 1; }
    "$@"
  ) 9>"$SITTER_CACHE/locks/$name.lock"
}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}
