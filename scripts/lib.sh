# Shared by the tool and infra scripts (scripts/tools, scripts/infra): where the cache lives (never inside the clone) and a lock per tool, so that
# parallel runs install each tool once.
SITTER_CACHE="${SITTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitter}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# with_lock NAME COMMAND...: runs COMMAND while holding $SITTER_CACHE/locks/NAME.lock.
with_lock() {
  local name="$1"
  shift
  mkdir -p "$SITTER_CACHE/locks"
  (
    flock -w 1800 9 || { echo "timed out waiting for the lock $name" >&2; exit 1; }
    "$@"
  ) 9>"$SITTER_CACHE/locks/$name.lock"
}

say() { echo "$(basename "$0" .sh): $*" >&2; }
die() { say "$*"; exit 1; }
