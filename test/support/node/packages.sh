#!/usr/bin/env bash
# The real node's Debian packages: containerd and runc (the CRI), the CNI plugins, iptables and nftables
# (kube-proxy's and the bridge plugin's rules; the harness's snapshot and restore), iproute2 (the node's
# bridge), debootstrap (the Ray image's root filesystem). Installed only when one is missing.
set -euo pipefail
packages=(containerd runc containernetworking-plugins iptables nftables iproute2 debootstrap)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "node:packages: missing ${missing[*]}; the node suite runs as root (it runs a kubelet and containerd)" >&2
  exit 1
fi
echo "node:packages: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
