#!/usr/bin/env bash
# Prints the stacks the pipelines run over, as a JSON array for a GitHub Actions matrix: one stack per tenant,
# found from the Pulumi.<stack>.yaml files (adding a tenant = adding its stack file), or taken from $STACKS
# (JSON array or space/comma separated) when an operator wants a subset.
#
# Stack names end up in job names, environment names and shell commands, and a pull request can add a file, so
# every name is checked against Pulumi's stack-name characters and anything else is refused rather than quoted.
set -euo pipefail

root="${1:-.}"
names=()

if [[ -n "${STACKS:-}" ]]; then
  raw="${STACKS//[\[\]\"]/ }"
  raw="${raw//,/ }"
  read -r -a names <<<"$raw"
else
  shopt -s nullglob
  for file in "$root"/Pulumi.*.yaml; do
    name="$(basename "$file")"
    name="${name#Pulumi.}"
    names+=("${name%.yaml}")
  done
fi

if [[ ${#names[@]} -eq 0 ]]; then
  echo "list-stacks: no stacks (no Pulumi.<stack>.yaml in $root and STACKS is empty)" >&2
  exit 2
fi

json="["
separator=""
for name in "${names[@]}"; do
  if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$ ]]; then
    echo "list-stacks: refusing stack name '$name': only letters, digits, '.', '_' and '-' are allowed" >&2
    exit 2
  fi
  json+="${separator}\"${name}\""
  separator=","
done
json+="]"
echo "$json"
