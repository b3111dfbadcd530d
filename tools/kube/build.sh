#!/usr/bin/env bash
# Builds a local Kubernetes control plane from the releases pinned in go.mod and kwok/go.mod into the cache, once per
# pin (the recipe: tools/go-build.sh): kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes),
# etcd (go.etcd.io/etcd/server/v3, the release k8s.io/kubernetes requires) and kwok (fake nodes that run Pods on
# paper). Prints the directory holding the binaries. The cache key hashes both modules, etcd/main.go and the flags.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../go-build.sh"

tool=kube
version="$(go_module_version "$here/go.mod" k8s.io/kubernetes)"
kwok_version="$(go_module_version "$here/kwok/go.mod" sigs.k8s.io/kwok)"
major="${version#v}"; major="${major%%.*}"
minor="${version#v*.}"; minor="${minor%%.*}"
# Without the version stamp the apiserver reports v0.0.0, and helm refuses any chart that declares a kubeVersion.
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
kwok_ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v}"
key_files=("$here/go.mod" "$here/go.sum" "$here/etcd/main.go" "$here/kwok/go.mod" "$here/kwok/go.sum")
key_flags="$ldflags $kwok_ldflags"
binaries=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)
prints=dir
build_note="about ten minutes on 2 cores, more on a busy machine"

build_into() {
  (cd "$here" && go_build -ldflags "$ldflags" -o "$1/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler ./etcd)
  (cd "$here/kwok" && go_build -ldflags "$kwok_ldflags" -o "$1/" sigs.k8s.io/kwok/cmd/kwok)
}

go_tool_main "$@"
