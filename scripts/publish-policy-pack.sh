#!/usr/bin/env bash
# Publishes the policy pack (policies/) to Pulumi Cloud and enables it for a policy group with the stack's policy
# config, so that Pulumi Cloud requires it on every preview and update of the group's stacks, whoever runs them
# (a laptop `pulumi up` without --policy-pack included). See docs/operations.md, "Server-side enforcement".
#
# The config is per tenant (breakglass accounts, limits…) and a policy group holds one config per pack, so use one
# policy group per stack: by default "entra-baseline-<stack>". Create the group and add the stack to it in Pulumi
# Cloud first (Policies → Policy groups, or the pulumiservice provider's PolicyGroup).
#
# Needs: the pulumi CLI logged in to Pulumi Cloud as an organization admin (PULUMI_ACCESS_TOKEN), `npm ci` done.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/publish-policy-pack.sh --org ORG --stack STACK [--policy-group GROUP] [--policy-config FILE] [--pack-name NAME]

  --org ORG              Pulumi Cloud organization
  --stack STACK          stack whose Pulumi.<STACK>.yaml gives the pack's config
  --policy-group GROUP   policy group to enable the pack for (default: entra-baseline-<STACK>)
  --policy-config FILE   use this pack config instead of writing it with
                         `npm run plan -- --stack STACK --write-policy-config FILE`
  --pack-name NAME       pack name, when it cannot be read from `pulumi policy publish` output
USAGE
}

org="" stack="" group="" config="" pack=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --org) org="${2:-}"; shift 2 ;;
    --stack) stack="${2:-}"; shift 2 ;;
    --policy-group) group="${2:-}"; shift 2 ;;
    --policy-config) config="${2:-}"; shift 2 ;;
    --pack-name) pack="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "publish-policy-pack: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ -z "$org" || -z "$stack" ]]; then
  echo "publish-policy-pack: --org and --stack are required" >&2
  usage >&2
  exit 2
fi
group="${group:-entra-baseline-$stack}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

if [[ -z "$config" ]]; then
  config="$workdir/policy-config.$stack.json"
  echo "==> Writing the policy pack config of stack '$stack'"
  (cd "$repo_root" && npm run --silent plan -- --stack "$stack" --write-policy-config "$config")
fi
if [[ ! -s "$config" ]]; then
  echo "publish-policy-pack: policy config '$config' is missing or empty" >&2
  exit 2
fi

# The rules import the shared model from src/ (outside policies/), and `pulumi policy publish` uploads only the pack
# directory: publish a bundled, self-contained copy. The CLI loads it to read its metadata, so it gets our node_modules.
echo "==> Bundling the policy pack"
(cd "$repo_root" && node --import tsx scripts/build-policy-pack.ts "$workdir/pack")
ln -s "$repo_root/node_modules" "$workdir/pack/node_modules"

echo "==> Publishing the policy pack to '$org'"
(cd "$workdir/pack" && pulumi policy publish "$org") | tee "$workdir/publish.log"

# Output differs between CLI versions: 'Publishing custom-pack to org' / 'Publishing "custom-pack" - version 3 to "org"',
# then 'Published as version 3'.
published_pack="$(sed -nE 's/^Publishing "?([A-Za-z0-9._-]+)"?.*/\1/p' "$workdir/publish.log" | head -n 1)"
version="$(sed -nE 's/.*Published as version "?([A-Za-z0-9._-]+)"?.*/\1/p; s/^Publishing .* - version "?([A-Za-z0-9._-]+)"? to .*/\1/p' "$workdir/publish.log" | head -n 1)"
pack="${pack:-$published_pack}"
if [[ -z "$pack" ]]; then
  echo "publish-policy-pack: could not read the pack name from the publish output; pass --pack-name" >&2
  exit 1
fi
if [[ -z "$version" ]]; then
  # Enabling the version just published is exact; 'latest' could pick up someone else's publish in between.
  echo "publish-policy-pack: could not read the published version; enabling 'latest'" >&2
  version="latest"
fi

echo "==> Validating the config against $org/$pack $version"
pulumi policy validate-config "$org/$pack" "$version" --config "$config"

echo "==> Enabling $org/$pack $version for policy group '$group'"
pulumi policy enable "$org/$pack" "$version" --policy-group "$group" --config "$config"

echo "Enabled $org/$pack $version for policy group '$group' with the config of stack '$stack'."
