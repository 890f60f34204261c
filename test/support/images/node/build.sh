#!/usr/bin/env bash
# The container images the node suite's kubelet runs, built here because no image registry is reachable: only
# the Debian mirror and PyPI are. Each is an OCI archive for `ctr -n k8s.io images import`, named as the
# kubelet and the program will ask for it (imagePullPolicy: Never then finds it):
#   pause       <SANDBOX_IMAGE>   the pause binary `npm run e2e:tools` builds (containerd's sandbox_image)
#   operator    <OPERATOR_IMAGE>  the KubeRay operator `npm run e2e:tools` builds from the vendored v1.7.0 source,
#               as /manager, user 65532 (as upstream's distroless image): what the chart runs
#   ray         docker.io/rayproject/ray:<RAY_VERSION>   Debian bookworm + a venv laid out like the real image
#   wheelhouse  the wheels the Pods `pip install` at run time (jsonpatch, XGBOOST_REQUIREMENT), served by the
#               harness at http://<WHEELHOUSE_HOST>:<WHEELHOUSE_PORT>/, which the image's /etc/pip.conf points
#               pip at (never PyPI)
# The <NAMES> are the code's own, read through test/support/pins.ts.
# Each lives under $KRPS_IMAGES_CACHE (default ~/.cache/kuberay-pod-security/images) in <name>-<key>/, the key
# hashing this script and every input it reads; a directory is renamed into place only once complete.
#
#   build.sh          build what is missing, print `<ref> <archive>` per image and `wheelhouse <dir>` (stdout)
#   build.sh --list   print the same lines without building; exit 1 if something is not built
#
# Needs root (debootstrap, chroot, mount namespaces), debootstrap and python3 (stdlib only: the build's
# wheelhouse server, the image config) on the host, and `npm ci` done (the pins, the OCI writer).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
self="$here/$(basename "${BASH_SOURCE[0]}")"
step() { echo "node:images: $*" >&2; }
die() { step "$*"; exit 1; }
support="$root/test/support/images"
# shellcheck source=test/support/images/lib.sh
source "$support/lib.sh"

# wget: KubeRay's exec probes for Ray < 2.53 run `wget ... | grep success`. netbase: /etc/services and
# /etc/protocols, as in the real image. xgboost-cpu bundles its own libgomp, so libgomp1 is not needed.
DEBIAN_PACKAGES=python3,python3-venv,ca-certificates,bash,procps,wget,netbase
# bookworm's ensurepip gives pip 23.0.1; pin a current one so build and run time use a known pip.
PIP_VERSION=25.3
EXAMPLE_DATA=/home/ray/data/breast_cancer.csv
RAY_PATH=/home/ray/anaconda3/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Names, versions and the wheelhouse's address come from the code that defines them, as test/support/python/env.sh's do.
pinned=$(pins SANDBOX_IMAGE OPERATOR_IMAGE RAY_VERSION XGBOOST_REQUIREMENT WHEELHOUSE_HOST WHEELHOUSE_PORT) \
  || die "could not read the pins from the code (test/support/pins.ts; did \`npm ci\` run?)"
{ read -r PAUSE_REF; read -r OPERATOR_REF; read -r ray_version; read -r xgboost_requirement; read -r WHEELHOUSE_HOST; read -r WHEELHOUSE_PORT; } <<<"$pinned"
RAY_REF="docker.io/rayproject/ray:$ray_version"
constraints="$root/test/support/python/constraints.txt"

tools_dir=$(bash "$root/test/support/tools/build.sh" --dir) || die "could not locate the e2e tools: run \`npm run e2e:tools\`"
pause_bin="$tools_dir/pause"
operator_bin="$tools_dir/kuberay-operator"
for bin in "$pause_bin" "$operator_bin"; do
  [ -x "$bin" ] || die "no $(basename "$bin") binary at $bin: run \`npm run e2e:tools\` first"
done

hash16() { sha256sum | cut -c1-16; }
self_sha=$(cat "$self" "$support/lib.sh" "${oci_sources[@]}" | sha256sum | cut -d' ' -f1)
pause_key=$( { echo "$self_sha"; echo "$PAUSE_REF"; sha256sum <"$pause_bin" | cut -d' ' -f1; } | hash16)
operator_key=$( { echo "$self_sha"; echo "$OPERATOR_REF"; sha256sum <"$operator_bin" | cut -d' ' -f1; } | hash16)
ray_key=$( { echo "$self_sha"; echo "$RAY_REF"; echo "$WHEELHOUSE_HOST:$WHEELHOUSE_PORT"; cat "$constraints"; basename "$(bash "$root/test/support/python/env.sh" --dir)"; } | hash16)
# Wheels are chosen for the image's Python and platform, so the image's key is part of the wheelhouse's.
wheelhouse_key=$( { echo "$self_sha"; echo "$ray_key"; echo "$xgboost_requirement"; cat "$constraints"; } | hash16)

cache="${KRPS_IMAGES_CACHE:-$HOME/.cache/kuberay-pod-security/images}"
pause_dir="$cache/pause-$pause_key"
operator_dir="$cache/operator-$operator_key"
ray_dir="$cache/ray-$ray_key"
wheelhouse_dir="$cache/wheelhouse-$wheelhouse_key"

built() { [ -f "$1/ref" ] && [ -f "$1/build-seconds" ]; }

list() {
  echo "$(cat "$pause_dir/ref") $pause_dir/image.oci.tar"
  echo "$(cat "$operator_dir/ref") $operator_dir/image.oci.tar"
  echo "$(cat "$ray_dir/ref") $ray_dir/image.oci.tar"
  echo "wheelhouse $wheelhouse_dir"
}

if [ "${1:-}" = "--list" ]; then
  missing=()
  for d in "$pause_dir" "$operator_dir" "$ray_dir" "$wheelhouse_dir"; do built "$d" || missing+=("$d"); done
  [ ${#missing[@]} -eq 0 ] || die "not built: ${missing[*]} (run \`bash test/support/images/node/build.sh\`)"
  list
  exit 0
fi
[ $# -eq 0 ] || die "usage: build.sh [--list]"
[ "$(id -u)" = 0 ] || die "building the images needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing: apt-get install debootstrap (test/support/node/packages.sh does)"
command -v python3 >/dev/null 2>&1 || die "python3 is missing (the build serves the wheelhouse and writes the image config with it)"
mkdir -p "$cache"

# ---------------------------------------------------------------------------------------------------------------
# Mounts (see test/support/images/lib.sh): the trap unmounts anything left under a root filesystem.
rootfs_dirs=()
cleanup() {
  local r
  for r in "${rootfs_dirs[@]}"; do
    unmount_under "$r"
    ! mounted_under "$r" || step "WARNING: mounts left under $r"
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A command inside the root filesystem, with none of the host's environment (its PIP_FIND_LINKS, PIP_CERT...).
# Build-time pip ignores the image's /etc/pip.conf (PIP_CONFIG_FILE=/dev/null) and trusts the host's CA bundle,
# copied in for the build only: this machine's egress re-signs TLS.
#   in_root [--offline <wheelhouse>] <uid:gid> <home> <cmd...>
# --offline: no network but loopback, where <WHEELHOUSE_HOST>:<WHEELHOUSE_PORT> (from the pins, as above) serves
# <wheelhouse> as the harness will, and pip runs with the image's own configuration: what a Pod sees.
in_root() {
  local offline="" env
  if [ "$1" = "--offline" ]; then offline=$2; shift 2; fi
  local spec=$1 home=$2; shift 2
  env=(PATH="$RAY_PATH" HOME="$home" LANG=C.UTF-8)
  if [ -z "$offline" ]; then
    env+=(PIP_CONFIG_FILE=/dev/null PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180)
    [ ! -f "$rootfs/tmp/krps-build-ca.pem" ] || env+=(PIP_CERT=/tmp/krps-build-ca.pem)
    local v
    for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
      [ -z "${!v:-}" ] || env+=("$v=${!v}")
    done
  fi
  # The inner script is expanded by the inner bash; every host value reaches it as a positional parameter.
  # shellcheck disable=SC2016
  nice -n 10 unshare --mount --propagation private ${offline:+--net} /bin/bash -c '
    set -e
    r=$1 offline=$2 host=$3 port=$4; shift 4
    mount -t proc proc "$r/proc"
    mount --bind /dev "$r/dev"
    mount -t tmpfs -o mode=1777,size=256m shm "$r/dev/shm"
    if [ -n "$offline" ]; then
      ip link set lo up
      ip addr add "$host/32" dev lo
      python3 -m http.server --bind "$host" --directory "$offline" "$port" >/dev/null 2>&1 &
      for _ in $(seq 50); do
        python3 -c "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)" "$host" "$port" 2>/dev/null && break
        sleep 0.1
      done
      trap "kill $! 2>/dev/null" EXIT
      "$@"
      exit
    fi
    exec "$@"' in_root "$rootfs" "$offline" "$WHEELHOUSE_HOST" "$WHEELHOUSE_PORT" \
    env -i "${env[@]}" chroot --userspec="$spec" "$rootfs" "$@"
}

# ---------------------------------------------------------------------------------------------------------------
# OCI archives: oci-layout, index.json (the name containerd lists in io.containerd.image.name), one manifest,
# its config and one uncompressed layer (import is faster, and the cache is local). The archive's own entries
# carry no dates, so the same layer always gives the same archive.


lock() {  # holds an exclusive lock on <dir>.lock until this script exits
  local fd
  exec {fd}>"$1.lock"
  flock "$fd"
}


# ---------------------------------------------------------------------------------------------------------------
build_binary_image() {  # <dir> <name> <ref> <binary> <path in image> <entrypoint JSON> <user>
  local partial="$1.partial" started
  started=$(date +%s)
  step "$2: $3 from $(readlink -f "$4")"
  safe_rm "$partial"
  mkdir -p "$partial"
  binary_image "$partial" "$2" "$3" "$4" "$5" "$6" "$7"
  mv "$partial/images/$2.oci.tar" "$partial/image.oci.tar"
  rmdir "$partial/images"
  echo "$3" >"$partial/ref"
  finish "$partial" "$1" "$started"
}


# Build-only files: DNS for pip and the host's CA bundle (this machine's egress re-signs TLS).
add_build_files() {
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  local ca="${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"
  [ ! -f "$ca" ] || install -m 0644 "$ca" "$rootfs/tmp/krps-build-ca.pem"
  install -m 0644 "$constraints" "$rootfs/tmp/krps-constraints.txt"
}

make_ray_rootfs() {
  local log=$1
  step "ray: debootstrap --variant=minbase $DEBIAN_SUITE ($DEBIAN_PACKAGES) from $DEBIAN_MIRROR"
  logged "$log" nice -n 10 unshare --mount --propagation private \
    debootstrap --variant=minbase --include="$DEBIAN_PACKAGES" "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR"
  add_build_files

  # As rayproject/ray: user ray, uid 1000, primary group users (100), home /home/ray, Python under
  # /home/ray/anaconda3 (there a conda base, here a venv of Debian's python3: the same PATH either way).
  logged "$log" in_root 0:0 /root useradd --create-home --shell /bin/bash --home-dir /home/ray --uid 1000 --gid 100 ray
  step "ray: venv /home/ray/anaconda3 ($(chroot "$rootfs" /usr/bin/python3 --version 2>&1)), pip $PIP_VERSION"
  logged "$log" in_root 1000:100 /home/ray /usr/bin/python3 -m venv /home/ray/anaconda3
  logged "$log" in_root 1000:100 /home/ray python -m pip install "pip==$PIP_VERSION"
  step "ray: pip install ray[default,data,train]==$ray_version -c constraints.txt (PyPI)"
  logged "$log" in_root 1000:100 /home/ray python -m pip install -c /tmp/krps-constraints.txt "ray[default,data,train]==$ray_version"
  # The real image keeps the same record.
  in_root 1000:100 /home/ray python -m pip freeze >"$rootfs/home/ray/pip-freeze.txt"

  # The example's data set: the tutorial's copy is on S3, out of reach here, so the image carries scikit-learn's
  # breast-cancer set as CSV (as the example suite uses it) and XGBOOST_EXAMPLE_DATA names it (config Env).
  step "ray: the example's data set, $EXAMPLE_DATA (scikit-learn's breast-cancer set, from test/support/python's venv)"
  local example_venv; example_venv=$(bash "$root/test/support/python/env.sh")
  mkdir -p "$rootfs$(dirname "$EXAMPLE_DATA")"
  "$example_venv/bin/python" -c 'import sys
from sklearn.datasets import load_breast_cancer
load_breast_cancer(as_frame=True).frame.to_csv(sys.argv[1], index=False)' "$rootfs$EXAMPLE_DATA"

  # At run time pip may only reach the harness's wheelhouse on the node bridge, never PyPI. It is plain http,
  # which pip ignores ("not a trusted or secure host") unless trusted-host names it.
  cat >"$rootfs/etc/pip.conf" <<EOF
[global]
no-index = true
find-links = http://$WHEELHOUSE_HOST:$WHEELHOUSE_PORT/
trusted-host = $WHEELHOUSE_HOST
disable-pip-version-check = true
EOF
  mkdir -p "$rootfs/tmp/ray"
  chmod 1777 "$rootfs/tmp/ray"
}

# Owned by ray:users and not group-writable, as in the real image (ray-project/ray#32026 reverted making it
# writable to all): another uid can run Ray but not install into its environment.
finalize_ray_rootfs() {
  logged "$1" in_root 0:0 /root apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/root/.cache "$rootfs"/home/ray/.cache
  rm -f "$rootfs/etc/resolv.conf" "$rootfs"/tmp/krps-*
  # debootstrap copies the host's name in; the runtime mounts the Pod's over it anyway.
  echo localhost >"$rootfs/etc/hostname"
  chmod 0644 "$rootfs/etc/hostname"
  find "$rootfs/tmp" -mindepth 1 -maxdepth 1 ! -name ray -exec rm -rf --one-file-system {} +
  chown -R 1000:100 "$rootfs/home/ray"
  chmod 0755 "$rootfs/home/ray"
}

build_wheelhouse() {
  local partial="$wheelhouse_dir.partial" log=$1 started
  started=$(date +%s)
  safe_rm "$partial"
  mkdir -p "$partial"
  # Ray's pip runtime_env clones this venv (it is a venv, so no virtualenv seed wheels are fetched) and then
  # only `pip install`s the listed packages; pip itself only if a runtime_env asks for a pip_version.
  # setuptools and wheel cover a legacy build. Binary wheels only, so nothing is compiled in a Pod.
  local wanted=(jsonpatch "$xgboost_requirement" "pip==$PIP_VERSION" setuptools wheel)
  step "wheelhouse: pip download ${wanted[*]} (PyPI, for the image's Python)"
  rm -rf "$rootfs/tmp/krps-wheelhouse"
  install -d -o 1000 -g 100 "$rootfs/tmp/krps-wheelhouse"
  logged "$log" in_root 1000:100 /home/ray python -m pip download --only-binary=:all: \
    -c /tmp/krps-constraints.txt -d /tmp/krps-wheelhouse "${wanted[@]}"
  mv "$rootfs"/tmp/krps-wheelhouse/*.whl "$partial/"
  chown 0:0 "$partial"/*.whl
  chmod 0644 "$partial"/*.whl
  rm -rf "$rootfs/tmp/krps-wheelhouse"
  # A flat page linking every wheel, with its hash, for any static server.
  (
    cd "$partial"
    echo "<!DOCTYPE html><html><body>"
    for w in *.whl; do echo "<a href=\"$w#sha256=$(sha256sum "$w" | cut -d' ' -f1)\">$w</a><br>"; done
    echo "</body></html>"
  ) >"$partial/index.html"
  step "wheelhouse: checking an offline install of jsonpatch and $xgboost_requirement through the image's pip.conf"
  # shellcheck disable=SC2016 # expanded by the image's bash; the requirement is its $1
  logged "$log" in_root --offline "$partial" 1000:100 /home/ray bash -c '
    set -e
    rm -rf /tmp/krps-check
    pip install --target /tmp/krps-check jsonpatch "$1"
    PYTHONPATH=/tmp/krps-check python -c "import jsonpatch, xgboost, sys; assert xgboost.__version__ == sys.argv[1], xgboost.__version__" "${1#*==}"
    rm -rf /tmp/krps-check' check "$xgboost_requirement"
  echo wheelhouse >"$partial/ref"
  finish "$partial" "$wheelhouse_dir" "$started"
}

verify_ray_rootfs() {
  local log=$1 v
  step "ray: checking the root filesystem as 1000:100, offline"
  v=$(in_root --offline "$wheelhouse_dir" 1000:100 /home/ray /home/ray/anaconda3/bin/ray --version 2>>"$log") || true
  [[ "$v" == *"version $ray_version"* ]] || die "ray --version in the image printed '$v', not $ray_version (log: $log)"
  # shellcheck disable=SC2016 # expanded by the image's bash; the requirement is its $1
  logged "$log" in_root --offline "$wheelhouse_dir" 1000:100 /home/ray bash -c '
    set -e
    python -c "import ray, ray.train, ray.data, pandas, pyarrow, virtualenv; print(ray.__version__, pandas.__version__, pyarrow.__version__)"
    command -v wget ps grep >/dev/null
    # The native binaries Ray starts must find all their libraries.
    d=$(python -c "import os, ray; print(os.path.dirname(ray.__file__))")
    if ldd "$d/core/src/ray/gcs/gcs_server" "$d/core/src/ray/raylet/raylet" | grep "not found"; then exit 1; fi
    # What the example does at run time: pip into the image environment, from the wheelhouse only.
    pip install --dry-run jsonpatch "$1"
    test -w /home/ray -a -w /home/ray/anaconda3/lib -a -w /tmp/ray' check "$xgboost_requirement"
  [ "$(stat -c '%u:%g %A' "$rootfs/home/ray")" = "1000:100 drwxr-xr-x" ] || die "unexpected /home/ray: $(stat -c '%u:%g %A' "$rootfs/home/ray")"
  [ "$(stat -c '%A' "$rootfs/tmp/ray")" = "drwxrwxrwt" ] || die "unexpected /tmp/ray mode"
}

build_ray_and_wheelhouse() {
  local need_ray=0 need_wheelhouse=0 work log started
  built "$ray_dir" || need_ray=1
  built "$wheelhouse_dir" || need_wheelhouse=1
  started=$(date +%s)
  if [ $need_ray = 1 ]; then
    work="$ray_dir.partial"
  else
    work="$wheelhouse_dir.rootfs.partial"
  fi
  safe_rm "$work"
  mkdir -p "$work"
  rootfs="$work/rootfs"
  rootfs_dirs+=("$rootfs")
  log="$work/build.log"
  if [ $need_ray = 1 ]; then
    make_ray_rootfs "$log"
  else
    # The wheelhouse alone changed: its Python is the built image's, so unpack that.
    step "wheelhouse: unpacking $ray_dir/image.oci.tar to download wheels for its Python"
    mkdir -p "$rootfs"
    oci layer "$ray_dir/image.oci.tar" | tar --numeric-owner -xpf - -C "$rootfs"
    add_build_files
  fi
  [ $need_wheelhouse = 0 ] || build_wheelhouse "$log"

  if [ $need_ray = 1 ]; then
    finalize_ray_rootfs "$log"
    verify_ray_rootfs "$log"
    step "ray: packing the root filesystem as one layer"
    pack_rootfs "$rootfs" "$work/layer.tar"
    oci write "$work/layer.tar" "$work/image.oci.tar" "$RAY_REF" "$(python3 -c '
import json, sys
print(json.dumps({"User": "1000:100", "WorkingDir": "/home/ray", "Cmd": ["bash"],
                  "Env": ["PATH=" + sys.argv[1], "HOME=/home/ray", "LANG=C.UTF-8", "XGBOOST_EXAMPLE_DATA=" + sys.argv[2]]}))' "$RAY_PATH" "$EXAMPLE_DATA")"
    oci check "$work/image.oci.tar" "$RAY_REF"
    rm -f "$work/layer.tar"
    safe_rm "$rootfs"
    rm -f "$log"
    echo "$RAY_REF" >"$work/ref"
    finish "$work" "$ray_dir" "$started"
  else
    safe_rm "$work"
  fi
}

{
  lock "$pause_dir"
  built "$pause_dir" || build_binary_image "$pause_dir" pause "$PAUSE_REF" "$pause_bin" /pause '["/pause"]' 65535:65535
  lock "$operator_dir"
  built "$operator_dir" || build_binary_image "$operator_dir" operator "$OPERATOR_REF" "$operator_bin" /manager '["/manager"]' 65532:65532
  # Fixed order (ray, then wheelhouse) so that two runs cannot deadlock.
  lock "$ray_dir"
  lock "$wheelhouse_dir"
  if ! built "$ray_dir" || ! built "$wheelhouse_dir"; then build_ray_and_wheelhouse; fi
} >&2

list
for d in "$pause_dir" "$operator_dir" "$ray_dir" "$wheelhouse_dir"; do
  step "$(basename "$d" | sed 's/-[0-9a-f]*$//'): built in $(cat "$d/build-seconds") s ($(du -sh "$d" | cut -f1))"
done
