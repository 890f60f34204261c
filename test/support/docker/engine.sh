#!/usr/bin/env bash
# The Docker engine the kind suite runs: Debian's docker.io with its containerd, runc and tini, unpacked from
# Debian's packages into the tool cache (never installed system-wide), plus the runc wrapper
# (runc-wrapper/main.go, a test-environment adaptation: see there and the README). The suite's harness starts
# it with its own data root, exec root and socket.
#
#   engine.sh         unpack/build what is missing, print the engine's directory (bin/ holds every program)
#   engine.sh --dir   print it without building; exit 1 if it is not there
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
step() { echo "kind:docker: $*" >&2; }
die() { step "$*"; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0

PACKAGES=(docker.io containerd runc tini)

# The versions Debian serves today are the pins: the key follows them, so an update unpacks anew.
versions() {
  local p v
  for p in "${PACKAGES[@]}"; do
    v=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^  Candidate: //p')
    [ -n "$v" ] && [ "$v" != "(none)" ] || return 1
    echo "$p=$v"
  done
}
if ! pins=$(versions); then
  [ "$(id -u)" = 0 ] || die "apt-cache knows no ${PACKAGES[*]}; run apt-get update as root"
  apt-get update -qq >&2
  pins=$(versions) || die "Debian's package lists have no ${PACKAGES[*]}"
fi
key=$( { echo "$pins"; go env GOVERSION; cat "$here/runc-wrapper/go.mod" "$here/runc-wrapper/main.go" "$here/runc-wrapper/main_test.go" "$here/engine.sh"; } | sha256sum | cut -c1-16)
cache="${KRPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kuberay-pod-security/tools}"
dir="$cache/docker-engine-$key"

if [ "${1:-}" = "--dir" ]; then
  [ -x "$dir/bin/dockerd" ] || die "not built: $dir (run \`npm run kind:images\`)"
  echo "$dir"
  exit 0
fi
[ $# -eq 0 ] || die "usage: engine.sh [--dir]"
if [ -x "$dir/bin/dockerd" ]; then echo "$dir"; exit 0; fi

started=$(date +%s)
partial="$dir.partial"
rm -rf "$partial" && mkdir -p "$partial/debs" "$partial/root" "$partial/bin"
step "apt-get download $(echo "$pins" | tr '\n' ' ')"
# _apt cannot write into a root-owned folder: apt then warns and downloads as root, which is what is wanted here.
mapfile -t pin_list <<<"$pins"
(cd "$partial/debs" && apt-get download "${pin_list[@]}" 2>&1 | { grep -v "^W: Download is performed unsandboxed" >&2 || true; }) || die "apt-get download failed"
for deb in "$partial"/debs/*.deb; do dpkg-deb -x "$deb" "$partial/root"; done
for program in usr/bin/docker usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/docker-init usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr usr/sbin/runc; do
  [ -x "$partial/root/$program" ] || die "the packages have no $program"
  ln -s "../root/$program" "$partial/bin/$(basename "$program")"
done
step "runc wrapper (runc-wrapper/main.go): its tests, then the build"
(cd "$here/runc-wrapper" && go test ./... >&2) || die "the runc wrapper's tests failed"
(cd "$here/runc-wrapper" && go build -trimpath -ldflags "-s -w" -o "$partial/bin/krps-runc-wrapper" .)
rm -rf "$partial/debs"
echo $(( $(date +%s) - started )) >"$partial/build-seconds"
rm -rf "$dir" && mv "$partial" "$dir"
step "engine ready in $dir ($(cat "$dir/build-seconds") s)"
echo "$dir"
