#!/usr/bin/env bash
# Builds a local Kubernetes control plane from the releases pinned in go.mod and kwok/go.mod (via the Go module proxy)
# into the cache, once per pin: kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes), etcd
# (go.etcd.io/etcd/server/v3, the release k8s.io/kubernetes requires) and kwok (fake nodes that run Pods on paper).
#   build.sh          build if missing, then print the directory holding the binaries
#   build.sh --path   print that directory if it is built; exit 3 otherwise (never builds)
# SITTER_GO_BUILD_JOBS limits the build's parallelism (go build -p; default: every core);
# SITTER_GO_BUILD_VERBOSE=1 names each package as it compiles (provision.ts counts them for its progress line).
# The cache key hashes both modules, etcd/main.go and the build flags; an unchanged pin costs a hash and a file test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${SITTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sitter}"

version="$(awk '$1 == "k8s.io/kubernetes" { print $2; exit } $2 == "k8s.io/kubernetes" { print $3; exit }' "$here/go.mod")"
[ -n "$version" ] || { echo "build.sh: no k8s.io/kubernetes requirement in $here/go.mod" >&2; exit 1; }
kwok_version="$(awk '$1 == "sigs.k8s.io/kwok" { print $2; exit } $2 == "sigs.k8s.io/kwok" { print $3; exit }' "$here/kwok/go.mod")"
major="${version#v}"; major="${major%%.*}"
minor="${version#v*.}"; minor="${minor%%.*}"
# Without the version stamp the apiserver reports v0.0.0, and helm refuses any chart that declares a kubeVersion.
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
kwok_ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}"
key="$(cat "$here/go.mod" "$here/go.sum" "$here/etcd/main.go" "$here/kwok/go.mod" "$here/kwok/go.sum" \
  <(echo "$ldflags $kwok_ldflags") | sha256sum | cut -c1-12)"
target_dir="$cache/kube/$version-$key"
binaries=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)

built() {
  local binary
  for binary in "${binaries[@]}"; do [ -x "$target_dir/$binary" ] || return 1; done
}

if [ "${1:-}" = "--path" ]; then
  built && { echo "$target_dir"; exit 0; }
  echo "the Kubernetes control plane $version is not built: run 'npm run infra:provision' (or 'bash tools/kube/build.sh')" >&2
  exit 3
fi

go_build() {
  # GOTOOLCHAIN=auto: a Go older than go.mod's go line fetches that toolchain from the module proxy.
  # nice: the build takes every core for minutes; tests and editors running beside it stay responsive.
  CGO_ENABLED=0 GOTOOLCHAIN="${SITTER_GOTOOLCHAIN:-auto}" GOFLAGS="-mod=readonly -buildvcs=false" \
    nice -n 10 go build ${SITTER_GO_BUILD_VERBOSE:+-v} -p "${SITTER_GO_BUILD_JOBS:-$(nproc)}" -trimpath "$@"
}

build() {
  if built; then
    echo "kube $version: cached at $target_dir" >&2
    return 0
  fi
  command -v go >/dev/null || { echo "build.sh: Go is not installed; the control plane needs Go >= $(awk '$1 == "go" { print $2 }' "$here/go.mod")" >&2; exit 1; }
  echo "kube $version: building kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok $kwok_version with $(go env GOVERSION) (first time only; about ten minutes on 2 cores)" >&2
  local started=$SECONDS
  mkdir -p "$cache/kube"
  partial="$(mktemp -d "$cache/kube/.$version.XXXXXX")"
  trap 'rm -rf "${partial:-}"' EXIT
  (cd "$here" && go_build -ldflags "$ldflags" -o "$partial/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler ./etcd)
  (cd "$here/kwok" && go_build -ldflags "$kwok_ldflags" -o "$partial/" sigs.k8s.io/kwok/cmd/kwok)
  rm -rf "$target_dir"
  mv "$partial" "$target_dir"
  echo "kube $version: built in $((SECONDS - started))s -> $target_dir" >&2
}

mkdir -p "$cache/locks"
(
  flock -w 1800 9 || { echo "build.sh: timed out waiting for another kube build" >&2; exit 1; }
  build
) 9>"$cache/locks/kube.lock"
echo "$target_dir"
