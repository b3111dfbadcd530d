#!/usr/bin/env bash
# Prints the path of a Python with kubernetes-validate (Kubernetes JSON schemas bundled) and jsonschema, in a venv
# of its own under the cache. The venv is named after the hash of requirements-validate.txt, so a change of pins
# builds a new one.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

requirements="$REPO_ROOT/scripts/tools/requirements-validate.txt"
hash="$(sha256sum "$requirements" | cut -c1-12)"
venv="$SITTER_CACHE/venv/validate-$hash"
python="$venv/bin/python"

install() {
  [ -f "$venv/.complete" ] && return 0
  command -v python3 >/dev/null || die "python3 is required"
  rm -rf "$venv"
  # Debian's python3 makes venvs only with its python3-venv package.
  python3 -m venv "$venv" 2>/dev/null || { rm -rf "$venv" && apt_install python3-venv && python3 -m venv "$venv"; } \
    || die "python3 -m venv failed, also after installing Debian's python3-venv"
  "$python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2 \
    || die "pip could not install $requirements"
  touch "$venv/.complete"
}

with_lock validator install
"$python" -c 'import kubernetes_validate, jsonschema, yaml' || die "$venv is broken; delete it and retry"
echo "$python"
