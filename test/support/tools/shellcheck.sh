#!/usr/bin/env bash
# Runs shellcheck over every shell script of the repository: each *.sh and each file whose first line names sh or
# bash, found with git so that a new script cannot be missed (untracked ones too, unless git-ignored); and over the
# scripts the product holds as TypeScript strings (KindCluster's), which test/support/tools/embeddedScripts.ts
# writes to a temp directory with the shebang of the shell that runs them (needs `npm ci`: it runs with tsx).
# Installs Debian's shellcheck when it is missing (as root, like test/support/node/packages.sh); exit 0 only when every
# script is clean at every severity.
set -euo pipefail
cd "$(dirname "$0")/../../.."

if ! dpkg-query -W -f='${Status}' shellcheck 2>/dev/null | grep -q "ok installed"; then
  if [ "$(id -u)" != 0 ]; then
    echo "lint:shell: shellcheck is missing: apt-get install shellcheck (as root)" >&2
    exit 1
  fi
  echo "lint:shell: installing shellcheck" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >&2
fi

scripts=()
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue   # listed by git but deleted in the work tree
  first=""
  IFS= read -r first <"$file" || true
  if [[ "$file" == *.sh || "$first" =~ ^#!.*[/[:space:]](sh|bash)([[:space:]]|$) ]]; then scripts+=("$file"); fi
done < <(git ls-files -z --cached --others --exclude-standard)
[ ${#scripts[@]} -gt 0 ] || { echo "lint:shell: no shell script found" >&2; exit 1; }

[ -x node_modules/.bin/tsx ] || { echo "lint:shell: node_modules/.bin/tsx is missing (did \`npm ci\` run?)" >&2; exit 1; }
embedded_dir=$(mktemp -d "${TMPDIR:-/tmp}/krps-embedded-scripts.XXXXXX")
trap 'rm -rf "$embedded_dir"' EXIT
listing=$(node_modules/.bin/tsx test/support/tools/embeddedScripts.ts "$embedded_dir") \
  || { echo "lint:shell: could not write the scripts embedded in TypeScript (test/support/tools/embeddedScripts.ts)" >&2; exit 1; }
mapfile -t embedded <<<"$listing"
[ -n "$listing" ] || { echo "lint:shell: no embedded script written" >&2; exit 1; }

# -x follows `source`; the scripts' source= directives are paths from the repository's root. The embedded
# scripts' findings name their temp file (<module>.<constant>.sh) and the module's own line numbers.
shellcheck -x "${scripts[@]}" "${embedded[@]}"
echo "lint:shell: ${#scripts[@]} scripts and ${#embedded[@]} embedded in TypeScript, no finding" >&2
