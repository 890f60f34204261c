#!/usr/bin/env bash
# Builds krps-go (cmd/krps-go: Pod Security Admission's evaluator and kubectl's manifest reader, see its main.go)
# from the Go module proxy with the machine's Go, into
# ~/.cache/kuberay-pod-security/go-evaluator/<hash of go.mod, go.sum, sources and Go version>/krps-go,
# and prints the binary's path. Rebuilds only when that hash changes.
#
#   build.sh          build if missing, print the binary's path
#   build.sh --path   print the path for the current sources (builds nothing)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

key=$({ go env GOVERSION; cd "$here" && find . -name '*.go' -o -name go.mod -o -name go.sum | sort | xargs cat; } | sha256sum | cut -c1-16)
cache="${KRPS_GO_EVALUATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kuberay-pod-security/go-evaluator}"
binary="$cache/$key/krps-go"

if [ "${1:-}" = "--path" ]; then
  echo "$binary"
  exit 0
fi
if [ ! -x "$binary" ]; then
  echo "go-evaluator: building krps-go into $cache/$key (first build: a few minutes)" >&2
  mkdir -p "$cache/$key"
  # A private copy, so that the build never writes into the checkout; go.mod and go.sum pin every module.
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp -r "$here"/go.mod "$here"/go.sum "$here"/cmd "$work/"
  (cd "$work" && GOFLAGS=-mod=readonly go build -trimpath -ldflags='-s -w' -o "$binary.tmp" ./cmd/krps-go)
  mv "$binary.tmp" "$binary"
fi
echo "$binary"
