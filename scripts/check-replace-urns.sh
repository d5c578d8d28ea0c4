#!/usr/bin/env bash
# Reads URNs (one per line) on stdin and accepts them only if every one is a breakglass password
# (random.RandomPassword under the Breakglass component): the only resource the deploy workflow may replace by hand.
# Replacing a breakglass user, its Global Administrator assignment or the exclusion group would break the bypass.
set -euo pipefail

count=0
while IFS= read -r urn || [[ -n "$urn" ]]; do
  urn="${urn#"${urn%%[![:space:]]*}"}"
  urn="${urn%"${urn##*[![:space:]]}"}"
  [[ -z "$urn" ]] && continue
  if [[ "$urn" != urn:pulumi:*'entra-baseline:breakglass:Breakglass$random:index/randomPassword:RandomPassword::'* ]]; then
    echo "check-replace-urns: refusing '$urn': only breakglass passwords (RandomPassword under the Breakglass component) may be replaced by hand" >&2
    exit 1
  fi
  count=$((count + 1))
done
if [[ $count -eq 0 ]]; then
  echo "check-replace-urns: no URN given" >&2
  exit 1
fi
echo "check-replace-urns: $count breakglass password(s) to rotate"
