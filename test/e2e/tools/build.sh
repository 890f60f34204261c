#!/usr/bin/env bash
# Builds the local control plane's binaries from the Go module proxy: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok and the KubeRay operator. Each tool has its own wrapper
# module here (go.mod/go.sum pin it); binaries go to a cache outside the repository, keyed by those pins,
# and are rebuilt only when a pin changes.
#
#   build.sh          build if needed, print the bin directory
#   build.sh --dir    print the bin directory for the current pins (builds nothing)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# The machine's own Go; never download a toolchain a dependency's go.mod suggests.
export GOTOOLCHAIN=local
export CGO_ENABLED=0

KUBERNETES_VERSION=v1.37.2   # must match kubernetes/go.mod
TOOLS=(kubernetes etcd kwok kuberay)
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kuberay-operator)
FILES=(kwok-stages.yaml kuberay-crds/ray.io_rayservices.yaml)

key=$( { go env GOVERSION; cat "$0"; for t in "${TOOLS[@]}"; do cat "$here/$t/go.mod" "$here/$t/go.sum"; done; } | sha256sum | cut -c1-16)
cache="${KRPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kuberay-pod-security/tools}"
bin="$cache/$key/bin"

if [ "${1:-}" = "--dir" ]; then
  echo "$bin"
  exit 0
fi

complete=1
for b in "${BINARIES[@]}"; do [ -x "$bin/$b" ] || complete=0; done
for f in "${FILES[@]}"; do [ -s "$bin/$f" ] || complete=0; done
if [ "$complete" = 1 ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$bin.partial"
started=$(date +%s)
step() { echo "e2e:tools: $*" >&2; }

step "etcd (go.etcd.io/etcd/server/v3)"
(cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$bin.partial/etcd" go.etcd.io/etcd/server/v3)

minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
step "kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes $KUBERNETES_VERSION)"
(cd "$here/kubernetes" && go build -trimpath \
  -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" \
  -o "$bin.partial/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)

step "kwok (sigs.k8s.io/kwok)"
(cd "$here/kwok" && go build -trimpath -ldflags "-s -w" -o "$bin.partial/kwok" sigs.k8s.io/kwok/cmd/kwok)

step "KubeRay operator (github.com/ray-project/kuberay/ray-operator)"
(cd "$here/kuberay" && go build -trimpath -ldflags "-s -w" -o "$bin.partial/kuberay-operator" github.com/ray-project/kuberay/ray-operator)

# kwok has no built-in lifecycle: kwokctl feeds it these Stages, and so does the harness.
kwok_dir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  cat "$kwok_dir/kustomize/stage/$stage.yaml"; echo "---"
done > "$bin.partial/kwok-stages.yaml"

# The operator's own CRDs: it will not start without a CRD for every kind it watches (RayService too).
kuberay_dir=$(cd "$here/kuberay" && go list -m -f '{{.Dir}}' github.com/ray-project/kuberay/ray-operator)
mkdir -p "$bin.partial/kuberay-crds" && cp "$kuberay_dir"/config/crd/bases/*.yaml "$bin.partial/kuberay-crds/"

rm -rf "$bin" && mv "$bin.partial" "$bin"
step "built in $(( $(date +%s) - started )) s"
echo "$bin"
