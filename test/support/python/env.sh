#!/usr/bin/env bash
# The Python environment the example suite runs Ray in (and the node suite's Ray image writes its data set
# with): a virtualenv outside the repository holding the Ray the program deploys (DEFAULT_RAY_VERSION) and the
# xgboost its script pins (XGBOOST_REQUIREMENT), both read from the program's own files. It is keyed by those
# requirements, constraints.txt and the Python that builds it (by content, not path), created once and reused
# until one of them changes.
#
#   env.sh          create it if needed, print its path (progress goes to stderr)
#   env.sh --dir    print its path for the current requirements (creates nothing)
#
# KRPS_PYTHON picks the interpreter (default python3 on PATH); KRPS_EXAMPLE_CACHE the parent directory.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
python="${KRPS_PYTHON:-python3}"
step() { echo "example:env: $*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
  step "$python not found on PATH: the Ray environment (the example suite's, the node images' data set) needs Python 3.9 or later (as Ray requires); install it or set KRPS_PYTHON"
  exit 1
fi
if ! "$python" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
  step "$python ($(command -v "$python")) is not Python 3.9 or later with the venv module, which Ray needs"
  exit 1
fi

if ! versions=$("$root/node_modules/.bin/tsx" "$root/test/support/pins.ts" RAY_VERSION XGBOOST_REQUIREMENT); then
  step "could not read the Ray version and xgboost requirement from the program (test/support/pins.ts; did \`npm ci\` run?)"
  exit 1
fi
{ read -r ray_version; read -r xgboost_requirement; } <<<"$versions"
# [data] and [train] bring the pandas, pyarrow and numpy that Ray Data and Ray Train need, held by
# constraints.txt to the versions Ray itself pins; scikit-learn is only for its bundled breast-cancer data set
# (load_breast_cancer: no download).
requirements=("ray[default,data,train]==$ray_version" "$xgboost_requirement" "scikit-learn")
constraints="$here/constraints.txt"

key=$( { "$python" -c 'import sys; print(sys.version)'; printf '%s\n' "${requirements[@]}"; grep -v '^#' "$constraints"; } | sha256sum | cut -c1-12)
cache="${KRPS_EXAMPLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kuberay-pod-security}"
venv="$cache/ray-$ray_version-$key"

if [ "${1:-}" = "--dir" ]; then
  echo "$venv"
  exit 0
fi

mkdir -p "$cache"
# Two runs at once (a developer's and a test's) must not build the same venv together.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$venv.lock"
  flock 9
fi

# The stamp is written last: a venv without it is a build that was interrupted, so it is built again.
if [ -f "$venv/.krps-complete" ] && [ -x "$venv/bin/ray" ]; then
  echo "$venv"
  exit 0
fi

started=$(date +%s)
rm -rf "$venv"
step "creating $venv with $("$python" --version 2>&1)"
"$python" -m venv "$venv"
step "pip install ${requirements[*]} (constraints: $constraints)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c "$constraints" "${requirements[@]}" >&2
{ printf '%s\n' "${requirements[@]}"; cat "$constraints"; } > "$venv/.krps-complete"
step "created in $(( $(date +%s) - started )) s"
echo "$venv"
