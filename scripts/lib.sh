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

# apt_install PACKAGE...: installs Debian packages in one apt transaction (apt-get update first), as root or through
# sudo -n. Every caller takes the same lock, so two of our scripts never run apt-get side by side (dpkg allows one at
# a time); DPkg::Lock::Timeout makes apt-get wait for anyone else's transaction instead of failing at once.
# On failure it dies with apt's own error line (E: ...) as the one-line cause. SITTER_APT_GET names another apt-get.
apt_install() {
  local apt_get="${SITTER_APT_GET:-apt-get}"
  command -v "$apt_get" >/dev/null || die "$* missing and there is no apt-get: install it by hand"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "$* missing; installing needs root (apt-get install $*)"
    sudo=(sudo -n)
  fi
  with_lock apt _apt_transaction "$apt_get" "${sudo[@]}" -- "$@"
}

_apt_transaction() {
  local apt_get="$1" sudo=()
  shift
  while [ "$1" != "--" ]; do sudo+=("$1"); shift; done
  shift
  local output options=(-q -o DPkg::Lock::Timeout=600)
  say "installing Debian's $* (apt-get update, then apt-get install)"
  output="$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "$apt_get" "${options[@]}" update 2>&1)" \
    || die "apt-get update failed: $(_apt_cause "$output")"
  output="$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "$apt_get" "${options[@]}" install -y --no-install-recommends "$@" 2>&1)" \
    || die "apt-get install $* failed: $(_apt_cause "$output")"
}

# The line of apt's output that says why it failed: its first error (E: ...), else its last line.
_apt_cause() {
  local cause
  cause="$(printf '%s\n' "$1" | grep -m1 '^E: ' || true)"
  [ -n "$cause" ] || cause="$(printf '%s\n' "$1" | tail -n 1)"
  echo "$cause"
}
