#!/usr/bin/env bash
# The images a real kind cluster needs, built here because no image registry is reachable:
#   node      kindest/node:<KUBERNETES_VERSION>   a kind node image, as kind's images/base + `kind build node-image`
#             make one: Debian bookworm with systemd, containerd, runc, the CNI plugins, crictl and kind's base
#             files (entrypoint, units, containerd config); kubelet, kubeadm, kubectl of the pinned Kubernetes;
#             /kind/version and the CNI and storage manifests of the pinned kind; and in its containerd store
#             every image the cluster runs, under the names kubeadm and kind's manifests ask for, so that no Pod
#             ever pulls. Kept as a root filesystem tarball for `docker import` (rootfs.tar, config in import.args).
# The operator and Ray images the cluster runs come from `npm run node:images` (loaded with `kind load`).
# Every binary comes from `npm run e2e:tools` (the control-plane, node and kind groups). The image lives under
# $KRPS_IMAGES_CACHE (default ~/.cache/kuberay-pod-security/images) in kind-node-<key>/, the key hashing this
# script and every input; the directory is renamed into place only once complete.
#
#   build.sh          build what is missing; print `node <dir>` (stdout)
#   build.sh --list   print the same line without building; exit 1 if something is not built
#
# Needs root (debootstrap, chroot, mounts), debootstrap, python3 and containerd on the host (test/support/node/packages.sh),
# and `npm ci` done (the pins, the OCI writer).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
step() { echo "kind:images: $*" >&2; }
die() { step "$*"; exit 1; }
support="$root/test/support/images"
# shellcheck source=test/support/images/lib.sh
source "$support/lib.sh"

# kind's images/base package list, less what this node does not use (nfs, iscsi, fuse-overlayfs), plus Debian's
# containerd, runc and CNI plugins (kind builds its own) and dash for the iptables wrapper of the images.
DEBIAN_PACKAGES=systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,e2fsprogs,bash,ca-certificates,curl,jq,procps,containerd,runc,containernetworking-plugins,dash

tools_dir=$(bash "$root/test/support/tools/build.sh" --dir) || die "could not locate the e2e tools: run \`npm run e2e:tools\`"
for tool in kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd pause \
  crictl kindnetd local-path-provisioner coredns-kubeadm kind kind-base-files; do
  [ -e "$tools_dir/$tool" ] || die "no $tool in $tools_dir: run \`npm run e2e:tools\` first"
done
base_files="$tools_dir/kind-base-files"
# The node's Kubernetes version is its binaries' (built at the pin of test/support/tools/build.sh); the sandbox image
# is the code's own, as the node suite's.
KUBERNETES_VERSION=$("$tools_dir/kubeadm" version -o short) || die "could not ask $tools_dir/kubeadm for its version"
NODE_REF="kindest/node:$KUBERNETES_VERSION"
PAUSE_REF=$(pins SANDBOX_IMAGE) || die "could not read the pins from the code (test/support/pins.ts; did \`npm ci\` run?)"

hash16() { sha256sum | cut -c1-16; }
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | hash16; }
self_key=$(cat "$here/build.sh" "$here/iptables-wrapper.sh" "$support/lib.sh" "${oci_sources[@]}" | hash16)
node_key=$( {
  echo "$self_key $NODE_REF $PAUSE_REF $DEBIAN_SUITE $DEBIAN_PACKAGES"
  for tool in kubelet kubeadm kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd pause crictl kindnetd local-path-provisioner coredns-kubeadm kind; do
    readlink -f "$tools_dir/$tool"
  done
  tree_hash "$base_files"
} | hash16)

cache="${KRPS_IMAGES_CACHE:-$HOME/.cache/kuberay-pod-security/images}"
node_dir="$cache/kind-node-$node_key"
built() { [ -f "$1/ref" ] && [ -f "$1/build-seconds" ]; }
list() {
  echo "node $node_dir"
}

if [ "${1:-}" = "--list" ]; then
  built "$node_dir" || die "not built: $node_dir (run \`npm run kind:images\`)"
  list
  exit 0
fi
[ $# -eq 0 ] || die "usage: build.sh [--list]"
[ "$(id -u)" = 0 ] || die "building the images needs root (debootstrap, chroot, mounts)"
for c in debootstrap python3 containerd ctr; do command -v "$c" >/dev/null 2>&1 || die "$c is missing (test/support/node/packages.sh installs it)"; done
mkdir -p "$cache"

# ---------------------------------------------------------------------------------------------------------------
# Mounts and processes: every chroot and the build's containerd run in a private mount namespace; the trap stops
# the containerd and unmounts anything left under a root filesystem before a directory is deleted.
rootfs=""
containerd_pid=""
containerd_state=""
cleanup() {
  if [ -n "$containerd_pid" ]; then kill "$containerd_pid" 2>/dev/null || true; wait "$containerd_pid" 2>/dev/null || true; fi
  if [ -n "$rootfs" ]; then unmount_under "$rootfs"; fi
  if [ -n "$containerd_state" ]; then safe_rm "$containerd_state"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# A command inside the root filesystem, in a mount namespace of its own (its /proc and /dev go with it).
in_root() {
  # The inner script is expanded by the inner bash, with its own positional parameters.
  # shellcheck disable=SC2016
  nice -n 10 unshare --mount --propagation private /bin/bash -c '
    set -e
    r=$1; shift
    mount -t proc proc "$r/proc"
    mount --bind /dev "$r/dev"
    exec chroot "$r" "$@"' in_root "$rootfs" env -i PATH="$IMAGE_PATH" LANG=C.UTF-8 "$@"
}


# ---------------------------------------------------------------------------------------------------------------
# Small images: files staged into a folder, packed as one layer. A dynamically linked program is staged with
# the libraries `ldd` names inside the node's root filesystem (as kind's stage-binary-and-deps.sh does).

stage_file() {  # <stage> <path in rootfs>: the file itself (symlinks followed), with its mode (ld.so must stay executable)
  local real; real=$(realpath "$rootfs$2")
  install -D -m "$(stat -c %a "$real")" "$real" "$1$2"
}
stage_program() {  # <stage> <path in rootfs>: the program and its libraries
  local lib
  stage_file "$1" "$2"
  for lib in $(chroot "$rootfs" ldd "$2" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
    [ -e "$1$lib" ] || stage_file "$1" "$lib"
  done
}
# iptables as distroless-iptables has it: both backends, their extensions, and a wrapper that picks the mode the
# node uses (iptables-wrapper.sh) behind iptables, iptables-save, iptables-restore and the ip6tables ones.
stage_iptables() {
  local stage=$1 p ext
  for p in /usr/sbin/xtables-legacy-multi /usr/sbin/xtables-nft-multi /usr/sbin/conntrack /usr/bin/dash; do stage_program "$stage" "$p"; done
  for ext in "$rootfs"/usr/lib/x86_64-linux-gnu/xtables/*.so; do stage_program "$stage" "${ext#"$rootfs"}"; done
  mkdir -p "$stage/bin" && ln -s /usr/bin/dash "$stage/bin/sh"
  install -m 0755 "$here/iptables-wrapper.sh" "$stage/usr/sbin/iptables-wrapper"
  for p in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -s iptables-wrapper "$stage/usr/sbin/$p"
  done
  for p in iptables ip6tables; do
    for suffix in "" -save -restore; do
      ln -sf xtables-legacy-multi "$stage/usr/sbin/$p-legacy$suffix"
      ln -sf xtables-nft-multi "$stage/usr/sbin/$p-nft$suffix"
    done
  done
  mkdir -p "$stage/run" "$stage/tmp" "$stage/var/lib"
  chmod 1777 "$stage/tmp"
}

# ---------------------------------------------------------------------------------------------------------------
# kind's node image contract: what images/base/Dockerfile does, then what `kind build node-image` adds.
make_node_rootfs() {
  local log=$1
  step "node: debootstrap --variant=minbase $DEBIAN_SUITE ($DEBIAN_PACKAGES)"
  logged "$log" nice -n 10 unshare --mount --propagation private \
    debootstrap --variant=minbase --include="$DEBIAN_PACKAGES" "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR"

  step "node: kind's base files ($base_files)"
  install -m 0755 "$base_files"/usr/local/bin/* "$rootfs/usr/local/bin/"
  mkdir -p "$rootfs/kind/bin" "$rootfs/LICENSES"
  install -m 0644 "$base_files"/kind/README.txt "$rootfs/kind/" 2>/dev/null || true
  install -m 0755 "$base_files"/kind/bin/* "$rootfs/kind/bin/"
  install -m 0644 "$base_files"/etc/crictl.yaml "$rootfs/etc/"
  install -D -m 0644 -t "$rootfs/etc/containerd" "$base_files"/etc/containerd/*
  install -D -m 0644 -t "$rootfs/etc/default" "$base_files"/etc/default/*
  install -D -m 0644 -t "$rootfs/etc/sysctl.d" "$base_files"/etc/sysctl.d/*
  install -D -m 0644 -t "$rootfs/etc/systemd/system" "$base_files"/etc/systemd/system/*.service "$base_files"/etc/systemd/system/*.slice
  install -D -m 0644 -t "$rootfs/etc/systemd/system/kubelet.service.d" "$base_files"/etc/systemd/system/kubelet.service.d/*
  rm -f "$rootfs/etc/systemd/system/containerd-fuse-overlayfs.service"
  (
    cd "$rootfs"
    find lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
    rm -f lib/systemd/system/multi-user.target.wants/* etc/systemd/system/*.wants/* lib/systemd/system/local-fs.target.wants/* \
      lib/systemd/system/sockets.target.wants/*udev* lib/systemd/system/sockets.target.wants/*initctl* lib/systemd/system/basic.target.wants/*
  )
  echo "ReadKMsg=no" >>"$rootfs/etc/systemd/journald.conf"
  ln -sf /usr/lib/systemd/systemd "$rootfs/sbin/init"
  logged "$log" in_root systemctl enable kubelet.service containerd.service undo-mount-hacks.service
  logged "$log" in_root systemctl mask systemd-binfmt.service
  mkdir -p "$rootfs/etc/kubernetes/manifests"

  # Debian's containerd 1.6 and runc 1.1 where kind's units and config expect kind's own builds. kind's config
  # is containerd's version 2 format, which 1.6 reads; the fuse-overlayfs proxy (rootless only) is left out.
  ln -sf /usr/bin/containerd "$rootfs/usr/local/bin/containerd"
  ln -sf /usr/bin/ctr "$rootfs/usr/local/bin/ctr"
  ln -sf /usr/bin/containerd-shim-runc-v2 "$rootfs/usr/local/bin/containerd-shim-runc-v2"
  ln -sf /usr/sbin/runc "$rootfs/usr/local/sbin/runc"
  python3 - "$rootfs/etc/containerd/config.toml" "$PAUSE_REF" <<'PY'
import re, sys
path, pause = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r'\[proxy_plugins\]\n(#.*\n)?\[proxy_plugins\."fuse-overlayfs"\]\n(  .*\n)+', "", text)
text, n = re.subn(r'sandbox_image = "[^"]*"', f'sandbox_image = "{pause}"', text)
assert n == 1 and "fuse-overlayfs" not in text.split("[plugins")[0], "unexpected containerd config.toml"
open(path, "w").write(text)
PY
  in_root ctr oci spec \
    | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
    | jq 'del(.process.rlimits)' >"$rootfs/etc/containerd/cri-base.json"
  mkdir -p "$rootfs/opt/cni/bin"
  for plugin in host-local loopback ptp portmap; do cp "$rootfs/usr/lib/cni/$plugin" "$rootfs/opt/cni/bin/"; done

  step "node: kubelet, kubeadm, kubectl $KUBERNETES_VERSION; crictl"
  for b in kubelet kubeadm kubectl; do install -m 0755 "$(readlink -f "$tools_dir/$b")" "$rootfs/usr/bin/$b"; done
  install -m 0755 "$(readlink -f "$tools_dir/crictl")" "$rootfs/usr/local/bin/crictl"
  echo "$KUBERNETES_VERSION" >"$rootfs/kind/version"
}

# The CNI and storage manifests kind writes into its node images, from the pinned kind module's own source.
write_kind_manifests() {
  local work=$1 kind_dir
  kind_dir=$(cd "$root/test/support/tools/kind" && go list -m -f '{{.Dir}}' sigs.k8s.io/kind)
  mkdir -p "$work/manifests" "$rootfs/kind/manifests"
  sed 's/^package nodeimage$/package main/' "$kind_dir/pkg/build/nodeimage/const_cni.go" >"$work/manifests/const_cni.go"
  sed 's/^package nodeimage$/package main/' "$kind_dir/pkg/build/nodeimage/const_storage.go" >"$work/manifests/const_storage.go"
  cat >"$work/manifests/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strings"
)

// Prints the manifest named by the first argument, then the images it names, one per line, after a "---images" line.
func main() {
	manifests := map[string]struct {
		text   string
		images []string
	}{
		"default-cni.yaml":     {defaultCNIManifest, defaultCNIImages},
		"default-storage.yaml": {defaultStorageManifest, defaultStorageImages},
	}
	m := manifests[os.Args[1]]
	fmt.Print(m.text)
	fmt.Fprintln(os.Stderr, strings.Join(m.images, "\n"))
}
GO
  printf 'module manifests\n\ngo 1.22\n' >"$work/manifests/go.mod"
  local m
  for m in default-cni.yaml default-storage.yaml; do
    (cd "$work/manifests" && GOTOOLCHAIN=local go run . "$m" >"$rootfs/kind/manifests/$m" 2>>"$work/kind-images.txt")
  done
}

make_node_images() {
  local work=$1 required kubeadm_images ref
  mkdir -p "$work/images"
  kubeadm_images=$(in_root kubeadm config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null)
  required=$(printf '%s\n' "$kubeadm_images" | grep -v /pause:; echo "$PAUSE_REF"; cat "$work/kind-images.txt")
  step "node: images $(echo "$required" | tr '\n' ' ')"
  while read -r ref; do
    [ -n "$ref" ] || continue
    local name=${ref##*/}; name=${name%%:*}
    case "$name" in
      kube-apiserver|kube-controller-manager|kube-scheduler)
        binary_image "$work" "$name" "$ref" "$tools_dir/$name" "/usr/local/bin/$name" "" ;;
      etcd)
        binary_image "$work" etcd "$ref" "$tools_dir/etcd" /usr/local/bin/etcd "" ;;
      pause)
        binary_image "$work" pause "$ref" "$tools_dir/pause" /pause '["/pause"]' 65535:65535 ;;
      coredns)
        # As root, as CoreDNS images before 1.11: upstream's non-root image relies on a file capability
        # (cap_net_bind_service on /coredns) that this layer writer does not carry; kubeadm's Deployment adds
        # NET_BIND_SERVICE and drops every other capability either way.
        binary_image "$work" coredns "$ref" "$tools_dir/coredns-kubeadm" /coredns '["/coredns"]' ;;
      local-path-provisioner)
        binary_image "$work" "$name" "$ref" "$tools_dir/local-path-provisioner" /usr/local/bin/local-path-provisioner "" ;;
      kube-proxy|kindnetd)
        local stage="$work/stage-$name" bin_path=/usr/local/bin/kube-proxy entry=""
        [ "$name" = kube-proxy ] || { bin_path=/bin/kindnetd; entry='["/bin/kindnetd"]'; }
        stage_iptables "$stage"
        install -D -m 0755 "$(readlink -f "$tools_dir/$name")" "$stage$bin_path"
        pack_image "$stage" "$ref" "$(image_config "$entry")" "$work/images/$name.oci.tar" ;;
      local-path-helper)
        # The helper Pod runs `sh` scripts that mkdir and rm volume folders.
        local stage="$work/stage-$name" p
        for p in /usr/bin/dash /usr/bin/mkdir /usr/bin/rm /usr/bin/chmod; do stage_program "$stage" "$p"; done
        mkdir -p "$stage/bin" && ln -s /usr/bin/dash "$stage/bin/sh"
        pack_image "$stage" "$ref" "$(image_config "")" "$work/images/$name.oci.tar" ;;
      *) die "node: no recipe for image $ref" ;;
    esac
  done <<<"$required"
  printf '%s\n' "$required" >"$work/images.txt"
}

# Imports the images into the node's containerd store the way kind's node-image builder does (k8s.io namespace,
# not unpacked: the CRI unpacks on first use), with the host's containerd (the same Debian build as the node's).
import_node_images() {
  local work=$1 log=$2 sock archive
  # A short folder of its own: a unix socket path has at most 104 characters.
  containerd_state=$(mktemp -d /tmp/krps-kind-image.XXXXXX)
  sock="$containerd_state/containerd.sock"
  mkdir -p "$work/containerd"
  cat >"$work/containerd/config.toml" <<EOF
version = 2
root = "$rootfs/var/lib/containerd"
state = "$containerd_state/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
EOF
  unshare --mount --propagation private containerd --config "$work/containerd/config.toml" >>"$log" 2>&1 &
  containerd_pid=$!
  for _ in $(seq 100); do [ -S "$sock" ] && ctr --address "$sock" version >/dev/null 2>&1 && break; sleep 0.1; done
  for archive in "$work"/images/*.oci.tar; do
    logged "$log" ctr --address "$sock" --namespace k8s.io images import --no-unpack --digests "$archive"
  done
  ctr --address "$sock" --namespace k8s.io images list -q | sort >"$work/imported.txt"
  kill "$containerd_pid"; wait "$containerd_pid" 2>/dev/null || true
  containerd_pid=""
  safe_rm "$containerd_state"
  containerd_state=""
  local missing
  missing=$(comm -23 <(sort -u "$work/images.txt" | grep .) "$work/imported.txt")
  [ -z "$missing" ] || die "node: images missing from the store after import: $missing"
}

build_node() {
  local partial="$node_dir.partial" log started
  started=$(date +%s)
  safe_rm "$partial"
  mkdir -p "$partial"
  rootfs="$partial/rootfs"
  log="$partial/build.log"
  make_node_rootfs "$log"
  write_kind_manifests "$partial"
  make_node_images "$partial"
  import_node_images "$partial" "$log"
  in_root apt-get clean >>"$log" 2>&1
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  echo kind-node >"$rootfs/etc/hostname"
  step "node: packing the root filesystem"
  pack_rootfs "$rootfs" "$partial/rootfs.tar"
  # `docker import` arguments: the image's settings, as kind's node images have them (import cannot set
  # STOPSIGNAL; kind removes its nodes with `docker rm -f`, which does not use it).
  printf '%s\n' --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'ENV container=docker' >"$partial/import.args"
  safe_rm "$rootfs"
  rootfs=""
  rm -rf "$partial/images" "$partial/containerd" "$partial/manifests"
  echo "$NODE_REF" >"$partial/ref"
  finish "$partial" "$node_dir" "$started"
}

{
  built "$node_dir" || build_node
} >&2

list
step "node image: built in $(cat "$node_dir/build-seconds") s ($(du -sh "$node_dir" | cut -f1))"
