#!/usr/bin/env bash
# Azure Pipelines needs its stacks when it compiles the YAML (each stack's service connections and environment are
# named there), so pipelines/azure-pipelines.yml takes them from its `stacks` parameter rather than listing the stack
# files at run time as the GitHub workflows do. This holds that parameter to the stack files (scripts/list-stacks.sh):
# a Pulumi.<stack>.yaml the parameter leaves out would never be previewed, deployed or audited, and a listed stack
# without a file would fail every stage.
#
#   scripts/check-pipeline-stacks.sh "prod,staging" [DIR]
set -euo pipefail

listed="${1-}"
root="${2:-.}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

files_json="$(STACKS="" "$here/list-stacks.sh" "$root")"
read -r -a files <<<"$(tr -d '[]"' <<<"$files_json" | tr ',' ' ')"
read -r -a params <<<"${listed//,/ }"

problems=()
for stack in "${files[@]}"; do
  if [[ " ${params[*]} " != *" $stack "* ]]; then
    problems+=("Pulumi.$stack.yaml is not in the stacks parameter: add '- $stack' to parameters.stacks in pipelines/azure-pipelines.yml (with its service connections and environment, docs/operations.md), or its tenant is never previewed, deployed or audited")
  fi
done
for stack in "${params[@]}"; do
  if [[ " ${files[*]} " != *" $stack "* ]]; then
    problems+=("the stacks parameter lists '$stack', which has no Pulumi.$stack.yaml")
  fi
done
if [[ ${#problems[@]} -gt 0 ]]; then
  for p in "${problems[@]}"; do
    echo "check-pipeline-stacks: $p" >&2
    if [[ -n "${TF_BUILD:-}" ]]; then echo "##vso[task.logissue type=error]$p"; fi
  done
  exit 2
fi
echo "check-pipeline-stacks: the stacks parameter (${params[*]}) is every stack file"
