#!/usr/bin/env bash
# Installs, in one apt transaction, the Debian packages that the real-infrastructure runs need and this machine lacks.
#   ensure-debian.sh                  the project's list (below)
#   ensure-debian.sh COMMAND=PACKAGE  only these: PACKAGE is installed when COMMAND is not on the PATH
# Prints one line: what it installed, or that nothing was missing.
#   redis-server  Redis, for the Dapr state store and lock store
#   kcat          the decliner README's producer example
#   mvn, java     Maven and a Java 17 runtime, to fetch and run Kafka's jars
#   chromium      a real browser for the GraphiQL test (driven by playwright-core; no browser download)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

needs=("$@")
[ ${#needs[@]} -gt 0 ] || needs=(redis-server=redis-server kcat=kcat mvn=maven java=openjdk-17-jre-headless chromium=chromium)

missing() {
  local need
  for need in "${needs[@]}"; do
    command -v "${need%%=*}" >/dev/null || echo "${need#*=}"
  done
}

packages=($(missing))
if [ ${#packages[@]} -eq 0 ]; then
  echo "nothing missing (${needs[*]%%=*})"
  exit 0
fi
apt_install "${packages[@]}"
still=($(missing))
[ ${#still[@]} -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
echo "installed ${packages[*]}"
