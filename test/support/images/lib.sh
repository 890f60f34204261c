# Shared by the image build scripts (test/support/images/node/build.sh, test/support/images/kind/build.sh); sourced, after the
# script has defined step() and die().
#
# Mounts. Every chroot runs in a private mount namespace of its own, so its /proc and /dev vanish with it even
# if the script is killed; its trap still unmounts anything left under a root filesystem, and a directory is
# only ever deleted with nothing mounted below it (an `rm -rf` through a bind of /dev would empty the host's).
# shellcheck shell=bash

# Both images' root filesystems: one Debian release, from one mirror (the scripts that source this use them).
# shellcheck disable=SC2034
DEBIAN_SUITE=bookworm
# shellcheck disable=SC2034
DEBIAN_MIRROR=http://deb.debian.org/debian

unmount_under() {
  local p m
  p=$(realpath -m "$1")
  for m in $(awk -v p="$p" '$2 == p || index($2, p "/") == 1 { print $2 }' /proc/mounts | tac); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || step "could not unmount $m"
  done
}

mounted_under() { awk -v p="$(realpath -m "$1")" '$2 == p || index($2, p "/") == 1 { f = 1 } END { exit !f }' /proc/mounts; }

safe_rm() {
  [ -e "$1" ] || return 0
  unmount_under "$1"
  ! mounted_under "$1" || die "refusing to delete $1: something is still mounted below it"
  rm -rf --one-file-system "$1"
}

# Output of long steps goes to a log; its end is shown if the step fails.
logged() {
  local log=$1; shift
  if ! "$@" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "failed: $* (log: $log)"
  fi
}

finish() {  # <partial> <dir> <started>: record, then make the directory visible in one rename
  echo $(( $(date +%s) - $3 )) >"$1/build-seconds"
  mv "$1" "$2"
}

# The TypeScript helpers, run with the project's tsx (`npm ci` installs it): OCI image archives (write, check,
# layer; see oci.ts) and the pins the scripts share with the code (see ../pins.ts).
support_images_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tsx="$support_images_dir/../../../node_modules/.bin/tsx"
oci() { nice -n 10 "$tsx" "$support_images_dir/oci.ts" "$@"; }
pins() { "$tsx" "$support_images_dir/../pins.ts" "$@"; }
# The OCI writer's modules, which the build scripts' cache keys hash: in C order, for the same key in any locale.
# shellcheck disable=SC2034 # read by the build scripts that source this file
mapfile -d '' -t oci_sources < <(printf '%s\0' "$support_images_dir"/oci*.ts | LC_ALL=C sort -z)

# Small images: a folder packed as one layer, with an image config.
IMAGE_PATH=${IMAGE_PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}

image_config() {  # JSON image config: <entrypoint JSON or ""> [user]
  python3 -c 'import json, sys
c = {"Env": ["PATH=" + sys.argv[1]]}
if sys.argv[2]: c["Entrypoint"] = json.loads(sys.argv[2])
if sys.argv[3]: c["User"] = sys.argv[3]
print(json.dumps(c))' "$IMAGE_PATH" "$1" "${2:-}"
}

# A root filesystem as one tar layer: numeric owners (uids such as 1000:100 must survive), sorted names, /dev,
# /proc and /sys left empty for the runtime; file times kept (clamping them would invalidate every
# timestamp-checked .pyc). Refuses a tree with anything still mounted under it.
pack_rootfs() {  # <rootfs> <out tar>
  local rootfs=$1 out=$2 entries
  ! mounted_under "$rootfs" || die "something is still mounted under $rootfs"
  mapfile -t entries < <(cd "$rootfs" && ls -A)
  (cd "$rootfs" && nice -n 10 tar --numeric-owner --sort=name --anchored \
    --exclude='dev/?*' --exclude='proc/?*' --exclude='sys/?*' -cf "$out" -- "${entries[@]}")
}

pack_image() {  # <stage> <ref> <config JSON> <out archive>
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$1" -cf "$1.layer.tar" .
  oci write "$1.layer.tar" "$4" "$2" "$3"
  oci check "$4" "$2"
  rm -rf "$1" "$1.layer.tar"
}

# The users distroless images have (upstream's operator image is distroless base:nonroot): the runtime looks a
# numeric USER's group up here, so 65532 runs with group 65532 as upstream, not 0.
distroless_users() {  # <stage>
  mkdir -p "$1/etc"
  printf '%s\n' root:x:0:0:root:/root:/sbin/nologin nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin \
    nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin >"$1/etc/passwd"
  printf '%s\n' root:x:0: nobody:x:65534: nonroot:x:65532: >"$1/etc/group"
}

# One static program as a distroless-like image: <work>/images/<name>.oci.tar.
binary_image() {  # <work> <name> <ref> <binary> <path in image> <entrypoint JSON or ""> [user]
  local stage="$1/stage-$2"
  mkdir -p "$stage$(dirname "$5")" "$stage/tmp" "$1/images"
  chmod 1777 "$stage/tmp"
  distroless_users "$stage"
  install -m 0755 "$(readlink -f "$4")" "$stage$5"
  pack_image "$stage" "$3" "$(image_config "$6" "${7:-}")" "$1/images/$2.oci.tar"
}
