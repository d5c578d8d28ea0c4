#!/usr/bin/env bash
# Refuses a stack that still governs the placeholder tenant of the bundled example (tenantId
# 11111111-2222-3333-4444-555555555555, domain contoso.onmicrosoft.com): the pipelines would otherwise preview, deploy
# and audit it with your identities as if it were a tenant of yours. Every per-stack pipeline job runs this first,
# before it installs anything or runs pulumi (docs/operations.md, "The pipelines").
#
#   scripts/check-stack-tenant.sh STACK [DIR]     reads DIR/Pulumi.STACK.yaml (DIR defaults to .)
#
# Exit 0: the stack names a tenant of its own. Exit 2: placeholder tenant, no stack file, or a bad stack name.
set -euo pipefail

placeholder_tenant_id="11111111-2222-3333-4444-555555555555"
placeholder_domain="contoso.onmicrosoft.com"

fail() {
  echo "check-stack-tenant: $1" >&2
  # Annotations, so that the reason is on the run's summary page and not only in the step's log.
  if [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then echo "::error title=Placeholder tenant::$1"; fi
  if [[ -n "${TF_BUILD:-}" ]]; then echo "##vso[task.logissue type=error]$1"; fi
  exit 2
}

stack="${1:-}"
root="${2:-.}"
if [[ ! "$stack" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$ ]]; then
  fail "usage: check-stack-tenant.sh STACK [DIR] (a stack name of letters, digits, '.', '_' and '-'; got '$stack')"
fi
file="$root/Pulumi.$stack.yaml"
if [[ ! -f "$file" ]]; then
  fail "stack '$stack' has no $file: add the stack file, or leave the stack out (STACKS, or the pipeline's stacks parameter)"
fi

# Values only: a YAML comment (from '#' at the start of a line or after a space) may mention the placeholder.
values="$(sed -E 's/(^|[[:space:]])#.*$//' "$file")"
found=()
if grep -qiF "$placeholder_tenant_id" <<<"$values"; then found+=("tenantId $placeholder_tenant_id"); fi
if grep -qiE "(^|[^A-Za-z0-9.-])${placeholder_domain//./\\.}([^A-Za-z0-9.-]|$)" <<<"$values"; then
  found+=("the domain $placeholder_domain")
fi
if [[ ${#found[@]} -gt 0 ]]; then
  list="${found[0]}"
  if [[ ${#found[@]} -gt 1 ]]; then list="${found[0]} and ${found[1]}"; fi
  fail "stack '$stack' ($file) still governs the placeholder tenant of the bundled example ($list): set entra-baseline:tenant (tenantId, initialDomain) and the breakglass domain to your tenant's before the pipelines run it, or delete the file (docs/operations.md, First rollout)"
fi
echo "check-stack-tenant: stack '$stack' names a tenant of its own"
