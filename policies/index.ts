/**
 * The entra-baseline CrossGuard policy pack. This file only creates the pack (creating it starts the analyzer
 * server, and a second pack in one process exits it): the rules live side-effect free in ./rules.
 *
 *   pulumi preview --policy-pack policies --policy-pack-config pack-config.json
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("entra-baseline", {
  description:
    "Rejects privileged-access drift in an Entra ID tenant: standing Tier-0 access, weakened GA activation, broken breakglass, blind monitoring.",
  enforcementLevel: "mandatory",
  policies,
});
