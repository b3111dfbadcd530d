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

# apt_install PACKAGE...: installs Debian packages (apt-get update first), as root or through sudo -n.
apt_install() {
  command -v apt-get >/dev/null || die "$* missing and there is no apt-get: install it by hand"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "$* missing; installing needs root (apt-get install $*)"
    sudo=(sudo -n)
  fi
  say "installing Debian's $* (apt-get update, then apt-get install)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}
