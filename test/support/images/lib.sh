# Shared by the image build scripts (test/node/images/build.sh, test/kind/images/build.sh); sourced, after the
# script has defined step() and die().
#
# Mounts. Every chroot runs in a private mount namespace of its own, so its /proc and /dev vanish with it even
# if the script is killed; its trap still unmounts anything left under a root filesystem, and a directory is
# only ever deleted with nothing mounted below it (an `rm -rf` through a bind of /dev would empty the host's).
# shellcheck shell=bash

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

# OCI image archives (stdlib Python): write, check, layer.
oci() { nice -n 10 python3 "$(dirname "${BASH_SOURCE[0]}")/oci.py" "$@"; }
