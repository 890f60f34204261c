#!/usr/bin/env bash
# Builds the test tooling from source, since nothing can be downloaded but Go modules and packages:
#   control-plane      etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok   (Go module proxy)
#   kuberay            the KubeRay operator v1.7.0                                           (../shared/vendor)
#   pulumi             the Pulumi CLI v3.276.0                                               (Go module proxy)
#   pulumi-plugins     pulumi-language-nodejs and pulumi-resource-command                    (../shared/vendor)
#   pulumi-dynamic     pulumi-resource-pulumi-nodejs, the script the CLI runs dynamic providers with (Go module proxy)
#   pulumi-yaml        pulumi-language-yaml v1.25.0, for the Pulumi YAML consumer of the package  (Go module proxy),
#                      with pkg/sdk v3.220.0: its own v3.206.0 starts a language host with `-root`, which the
#                      Node.js host v3.259 refuses (exit 2); from v3.230 the plugin APIs it calls changed
#   pulumi-kubernetes  pulumi-resource-kubernetes v4.32.0                                    (../shared/vendor)
#   node               kubelet, kube-proxy (k8s.io/kubernetes), pause (its C source, gcc), CoreDNS v1.15.0
#                      with the plugins the node harness uses                                (Go module proxy)
#   kind               for a kind node image built offline: kind v0.33.0 and its images/base/files, kubeadm
#                      and kubectl, crictl, local-path-provisioner, CoreDNS with kubeadm's Corefile plugins
#                      (Go module proxy), kindnetd                                             (../shared/vendor)
# Each group is one wrapper Go module here (its go.mod/go.sum pin it; a vendored module is reached through a
# replace that this script points at $SHARED_DIR). A group is built into the cache under a key of its own pins
# and sources, and rebuilt only when they change; bin-<key>/ links every group's files for the current pins.
#
#   build.sh               build what is missing, print the bin directory
#   build.sh --dir         print the bin directory for the current pins (builds nothing)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
shared="$(cd "${SHARED_DIR:-$here/../../../../shared}" && pwd)"
# The machine's own Go; never download a toolchain a dependency's go.mod suggests.
export GOTOOLCHAIN=local
export CGO_ENABLED=0

KUBERNETES_VERSION=v1.37.2          # must match kubernetes/go.mod and kubernetes-kind/go.mod
PULUMI_VERSION=v3.276.0             # must match pulumi/go.mod and package.json's @pulumi/pulumi
PLUGINS_PULUMI_VERSION=v3.259.0     # must match pulumi-plugins/go.mod
COMMAND_VERSION=1.2.2-dev.010bd8e0  # vendor/pulumi-command is commit 010bd8e0, after v1.2.1
KUBERNETES_PROVIDER_VERSION=4.32.0
# The provider's schema (served by GetSchema, read by `pulumi import` and `.get`) is generated upstream and not
# in the vendored snapshot; the v4.25.0 module the proxy serves carries one.
KUBERNETES_PROVIDER_SCHEMA_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199

TOOL_GROUPS=(control-plane kuberay pulumi pulumi-plugins pulumi-kubernetes node kind pulumi-dynamic pulumi-yaml)
declare -A MODULES=(
  [control-plane]="kubernetes etcd kwok"
  [kuberay]="kuberay"
  [pulumi]="pulumi"
  [pulumi-dynamic]="pulumi"
  [pulumi-yaml]="pulumi-yaml"
  [pulumi-plugins]="pulumi-plugins"
  [pulumi-kubernetes]="pulumi-kubernetes"
  [node]="kubernetes coredns"
  [kind]="kind kubernetes-kind crictl local-path-provisioner coredns-kubeadm"
)
declare -A VENDORED=(
  [kuberay]="kuberay-v1.7.0/ray-operator"
  [pulumi-plugins]="pulumi-v3.259.0/sdk/nodejs/cmd/pulumi-language-nodejs pulumi-command"
  [pulumi-kubernetes]="pulumi-kubernetes-v4.32.0/provider"
  [kind]="kind-images-fed26882/images/kindnetd kind-images-fed26882/images/base/files kube-network-policies-f67f0fb3"
)
declare -A OUTPUTS=(
  [control-plane]="etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwok-stages.yaml"
  [kuberay]="kuberay-operator"
  [pulumi]="pulumi"
  [pulumi-dynamic]="pulumi-resource-pulumi-nodejs"
  [pulumi-yaml]="pulumi-language-yaml"
  [pulumi-plugins]="pulumi-language-nodejs pulumi-resource-command"
  [pulumi-kubernetes]="pulumi-resource-kubernetes"
  [node]="kubelet kube-proxy pause coredns"
  [kind]="kind kind-base-files kind-base-files.source kubeadm kubectl crictl kindnetd local-path-provisioner coredns-kubeadm"
)

cache="${KRPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kuberay-pod-security/tools}"

tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }

group_key() {
  {
    go env GOVERSION
    echo "$KUBERNETES_VERSION $PULUMI_VERSION $PLUGINS_PULUMI_VERSION $COMMAND_VERSION $KUBERNETES_PROVIDER_VERSION $KUBERNETES_PROVIDER_SCHEMA_MODULE"
    for m in ${MODULES[$1]}; do cat "$here/$m/go.mod" "$here/$m/go.sum"; [ ! -f "$here/$m/main.go" ] || cat "$here/$m/main.go"; done
    for v in ${VENDORED[$1]:-}; do tree_hash "$shared/vendor/$v"; done
  } | sha256sum | cut -c1-16
}

declare -A DIRS
for g in "${TOOL_GROUPS[@]}"; do DIRS[$g]="$cache/$g-$(group_key "$g")"; done
bin="$cache/bin-$(for g in "${TOOL_GROUPS[@]}"; do echo "${DIRS[$g]}"; done | sha256sum | cut -c1-16)"

if [ "${1:-}" = "--dir" ]; then
  echo "$bin"
  exit 0
fi

step() { echo "e2e:tools: $*" >&2; }

# A copy of a wrapper module whose vendored replaces point at $shared (go.mod's own paths assume ../shared).
module_copy() {
  local work; work=$(mktemp -d)
  cp "$here/$1"/go.mod "$here/$1"/go.sum "$work/"
  sed -i "s#=> \.\./\.\./\.\./\.\./\.\./shared/#=> $shared/#" "$work/go.mod"
  echo "$work"
}

kubernetes_ldflags() {
  local minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
  echo "-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
}

build_control_plane() {
  local out=$1
  step "etcd (go.etcd.io/etcd/server/v3)"
  (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
  step "kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes $KUBERNETES_VERSION)"
  (cd "$here/kubernetes" && go build -trimpath -ldflags "$(kubernetes_ldflags)" \
    -o "$out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
  step "kwok (sigs.k8s.io/kwok)"
  (cd "$here/kwok" && go build -trimpath -ldflags "-s -w" -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok)
  # kwok has no built-in lifecycle: kwokctl feeds it these Stages, and so does the harness.
  local kwok_dir; kwok_dir=$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    cat "$kwok_dir/kustomize/stage/$stage.yaml"; echo "---"
  done > "$out/kwok-stages.yaml"
}

build_kuberay() {
  local out=$1 work; work=$(module_copy kuberay)
  step "KubeRay operator v1.7.0 ($shared/vendor/kuberay-v1.7.0/ray-operator)"
  (cd "$work" && go build -trimpath -ldflags "-s -w" -o "$out/kuberay-operator" github.com/ray-project/kuberay/ray-operator)
  rm -rf "$work"
}

build_pulumi() {
  local out=$1
  step "pulumi CLI $PULUMI_VERSION (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)"
  (cd "$here/pulumi" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
}

build_pulumi_yaml() {
  local out=$1
  step "pulumi-language-yaml $(cd "$here/pulumi-yaml" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi-yaml) (github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)"
  (cd "$here/pulumi-yaml" && go build -trimpath -ldflags "-s -w" -o "$out/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
}

# The CLI's releases ship this script beside it; the program's CRD set is a dynamic provider it runs.
build_pulumi_dynamic() {
  local out=$1 sdk
  sdk=$(cd "$here/pulumi" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
  step "pulumi-resource-pulumi-nodejs ($sdk/nodejs/dist)"
  install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$out/pulumi-resource-pulumi-nodejs"
}

build_pulumi_plugins() {
  local out=$1 work; work=$(module_copy pulumi-plugins)
  step "pulumi-language-nodejs $PLUGINS_PULUMI_VERSION and pulumi-resource-command $COMMAND_VERSION ($shared/vendor)"
  (cd "$work" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PLUGINS_PULUMI_VERSION" \
    -o "$out/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
  (cd "$work" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-command/provider/pkg/version.Version=$COMMAND_VERSION" \
    -o "$out/pulumi-resource-command" github.com/pulumi/pulumi-command/provider/cmd/pulumi-resource-command)
  rm -rf "$work"
}

build_pulumi_kubernetes() {
  local out=$1 work; work=$(module_copy pulumi-kubernetes)
  step "pulumi-resource-kubernetes $KUBERNETES_PROVIDER_VERSION ($shared/vendor/pulumi-kubernetes-v4.32.0/provider)"
  # Upstream's main package, built in this module's graph with the files `make` would generate beside it.
  local src="$shared/vendor/pulumi-kubernetes-v4.32.0/provider/cmd/pulumi-resource-kubernetes" main="$work/cmd/pulumi-resource-kubernetes"
  mkdir -p "$main"
  cp "$src/main.go" "$src/helm-mapping.json" "$main/"
  cp "$src/terraform-mapping.json" "$main/terraform-mapping-embed.json"
  local schema_dir; schema_dir=$(cd "$work" && go mod download -json "$KUBERNETES_PROVIDER_SCHEMA_MODULE" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  node -e 'const fs = require("fs"); const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); s.version = process.argv[2]; fs.writeFileSync(process.argv[3], JSON.stringify(s));' \
    "$schema_dir/cmd/pulumi-resource-kubernetes/schema.json" "$KUBERNETES_PROVIDER_VERSION" "$main/schema-embed.json"
  (cd "$work" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$KUBERNETES_PROVIDER_VERSION" \
    -o "$out/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
  rm -rf "$work"
}

build_node() {
  local out=$1
  step "kubelet, kube-proxy (k8s.io/kubernetes $KUBERNETES_VERSION)"
  (cd "$here/kubernetes" && go build -trimpath -ldflags "$(kubernetes_ldflags)" -o "$out/" k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
  step "pause (k8s.io/kubernetes $KUBERNETES_VERSION build/pause/linux/pause.c)"
  local k8s_dir; k8s_dir=$(cd "$here/kubernetes" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)
  gcc -Os -Wall -Werror -static -DVERSION="$KUBERNETES_VERSION" -o "$out/pause" "$k8s_dir/build/pause/linux/pause.c"
  step "CoreDNS (github.com/coredns/coredns, $(cd "$here/coredns" && go list -m -f '{{.Version}}' github.com/coredns/coredns))"
  (cd "$here/coredns" && go build -trimpath -ldflags "-s -w" -o "$out/coredns" .)
}

build_kind() {
  local out=$1
  local kind_version; kind_version=$(cd "$here/kind" && go list -m -f '{{.Version}}' sigs.k8s.io/kind)
  step "kind $kind_version (sigs.k8s.io/kind)"
  # A release's version is a constant of the module (the commit ldflags only show in pre-release versions).
  (cd "$here/kind" && go build -trimpath -ldflags "-s -w" -o "$out/kind" sigs.k8s.io/kind)
  # The node's files (entrypoint, systemd units, containerd config), from the module when it has them.
  local kind_dir; kind_dir=$(cd "$here/kind" && go list -m -f '{{.Dir}}' sigs.k8s.io/kind)
  local files="$kind_dir/images/base/files" vendored="$shared/vendor/kind-images-fed26882/images/base/files" origin
  if [ -d "$files" ]; then
    origin="sigs.k8s.io/kind@$kind_version images/base/files"
    if diff -r -q "$files" "$vendored" >/dev/null; then origin+=" (same as vendor/kind-images-fed26882)"; else origin+=" (differs from vendor/kind-images-fed26882)"; fi
  else
    files=$vendored origin="vendor/kind-images-fed26882/images/base/files (sigs.k8s.io/kind@$kind_version has none)"
  fi
  cp -r "$files" "$out/kind-base-files"
  # The module cache keeps no file modes: set them as kind's images/base/Dockerfile does.
  find "$out/kind-base-files" -type d -exec chmod 0755 {} +
  find "$out/kind-base-files" -type f -exec chmod 0644 {} +
  chmod 0755 "$out/kind-base-files"/usr/local/bin/* "$out/kind-base-files"/kind/bin/*
  echo "$origin" > "$out/kind-base-files.source"
  step "kind-base-files: $origin"
  step "kubeadm, kubectl (k8s.io/kubernetes $KUBERNETES_VERSION)"
  (cd "$here/kubernetes-kind" && go build -trimpath -ldflags "$(kubernetes_ldflags)" -o "$out/" k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubectl)
  local crictl_version; crictl_version=$(cd "$here/crictl" && go list -m -f '{{.Version}}' sigs.k8s.io/cri-tools)
  step "crictl $crictl_version (sigs.k8s.io/cri-tools/cmd/crictl)"
  (cd "$here/crictl" && go build -trimpath -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$crictl_version" \
    -o "$out/crictl" sigs.k8s.io/cri-tools/cmd/crictl)
  # kindnetd is its own module; the proxy refuses the kube-network-policies pseudo-version its go.mod requires.
  local work; work=$(mktemp -d)
  step "kindnetd ($shared/vendor/kind-images-fed26882/images/kindnetd, kube-network-policies from $shared/vendor/kube-network-policies-f67f0fb3)"
  cp -r "$shared/vendor/kind-images-fed26882/images/kindnetd/." "$work/"
  chmod -R u+w "$work"
  (cd "$work" && go mod edit -replace "sigs.k8s.io/kube-network-policies=$shared/vendor/kube-network-policies-f67f0fb3" \
    && go build -trimpath -ldflags "-s -w" -o "$out/kindnetd" ./cmd/kindnetd)
  rm -rf "$work"
  # kind's images pin v0.0.34, which the proxy refuses (and v0.0.35's source): v0.0.33 is the newest it serves.
  local lpp_version; lpp_version=$(cd "$here/local-path-provisioner" && go list -m -f '{{.Version}}' github.com/rancher/local-path-provisioner)
  step "local-path-provisioner $lpp_version (github.com/rancher/local-path-provisioner)"
  (cd "$here/local-path-provisioner" && go build -trimpath -ldflags "-s -w -X main.VERSION=$lpp_version" \
    -o "$out/local-path-provisioner" github.com/rancher/local-path-provisioner)
  step "CoreDNS with kubeadm's Corefile plugins (github.com/coredns/coredns, $(cd "$here/coredns-kubeadm" && go list -m -f '{{.Version}}' github.com/coredns/coredns))"
  (cd "$here/coredns-kubeadm" && go build -trimpath -ldflags "-s -w" -o "$out/coredns-kubeadm" .)
}

group_complete() { local f; for f in ${OUTPUTS[$1]}; do [ -s "${DIRS[$1]}/$f" ] || return 1; done; }

started=$(date +%s)
for g in "${TOOL_GROUPS[@]}"; do
  group_complete "$g" && continue
  dir=${DIRS[$g]} group_started=$(date +%s)
  rm -rf "$dir.partial" && mkdir -p "$dir.partial"
  "build_${g//-/_}" "$dir.partial"
  echo $(( $(date +%s) - group_started )) > "$dir.partial/build-seconds"
  rm -rf "$dir" && mv "$dir.partial" "$dir"
  step "$g built in $(cat "$dir/build-seconds") s"
done

if [ ! -d "$bin" ]; then
  rm -rf "$bin.partial" && mkdir -p "$bin.partial"
  for g in "${TOOL_GROUPS[@]}"; do for f in ${OUTPUTS[$g]}; do ln -s "${DIRS[$g]}/$f" "$bin.partial/$f"; done; done
  mv "$bin.partial" "$bin"
fi
[ $(( $(date +%s) - started )) -gt 1 ] && step "done in $(( $(date +%s) - started )) s"
echo "$bin"
