#!/bin/sh
# iptables, iptables-save, iptables-restore and the ip6tables ones in the kube-proxy and kindnetd images: runs
# the backend (legacy or nft) the node itself uses, the one holding more rules — the decision of
# kubernetes-sigs/iptables-wrappers' installer and of kind's node entrypoint (a tie means legacy). dash builtins
# only: the image has no other tools.
count_rules() {
  n=0
  while IFS= read -r line; do
    case "$line" in -*) n=$((n + 1)) ;; esac
  done
  echo "$n"
}
legacy=$( { xtables-legacy-multi iptables-save; xtables-legacy-multi ip6tables-save; } 2>/dev/null | count_rules)
nft=$( { xtables-nft-multi iptables-save; xtables-nft-multi ip6tables-save; } 2>/dev/null | count_rules)
mode=nft
[ "$legacy" -ge "$nft" ] && mode=legacy
exec "xtables-$mode-multi" "${0##*/}" "$@"
