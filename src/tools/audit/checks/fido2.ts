/**
 * Guarantee 7 in the live tenant: the FIDO2 method configuration (either of Graph's shapes) judged by the model's
 * `fido2PolicyProblems` against what the stack declares for the emergency keys, and each emergency account's
 * registered keys by `breakglassKeyProblems` (declared models, device-bound, attested). An account without any key
 * is AUD-BREAKGLASS-NO-FIDO2 (breakglass.ts); here only the keys it has are judged.
 */
import {
  breakglassKeyProblems,
  fido2PolicyFacts,
  fido2PolicyProblems,
  type Fido2KeyFacts,
} from "@entra-baseline/model";
import { breakglassLabel, lower, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";

const FIDO2 = "#microsoft.graph.fido2authenticationmethod";

export function fido2PolicyFindings(ctx: AuditContext): Finding[] {
  const object = "FIDO2 authentication-method configuration";
  const live = (ctx.snapshot.sources.fido2Policy ?? [])[0];
  const parsed = fido2PolicyFacts(live);
  if ("error" in parsed) {
    return [
      finding("AUD-FIDO2-POLICY", {
        object,
        expected: parsed.error.expected,
        actual: `${parsed.error.field}: ${JSON.stringify(parsed.error.value)?.slice(0, 200)}`,
      }),
    ];
  }
  const fido2 = ctx.config.breakglass.fido2;
  return ctx.breakglassGroups.flatMap((group) =>
    fido2PolicyProblems(parsed.facts, {
      groupId: lower(group.id) ?? "",
      profile: fido2.profile,
      tenantWide: {
        ...(fido2.tenantWide.enforceAttestation !== undefined
          ? { enforceAttestation: fido2.tenantWide.enforceAttestation }
          : {}),
        ...(fido2.tenantWide.aaguids !== undefined ? { aaguids: fido2.tenantWide.aaguids } : {}),
      },
    }).map((problem) =>
      finding("AUD-FIDO2-POLICY", {
        object,
        expected:
          "enabled for the exclusion group, at least as strict as breakglass.fido2 declares, letting the declared models register",
        actual: problem,
      }),
    ),
  );
}

export function breakglassKeyFindings(ctx: AuditContext): Finding[] {
  const methods = ctx.snapshot.sources.authenticationMethods ?? {};
  const accounts = ctx.breakglass.flatMap((b) => {
    if (typeof b.user?.id !== "string") return [];
    const keys = (methods[b.user.id] ?? []).filter((m) => lower(m["@odata.type"]) === FIDO2) as Fido2KeyFacts[];
    return keys.length > 0 ? [{ account: breakglassLabel(b), keys }] : [];
  });
  return breakglassKeyProblems(accounts, ctx.config.breakglass.fido2.profile).map((problem) =>
    finding("AUD-BREAKGLASS-KEY-MODEL", {
      object: "breakglass FIDO2 keys",
      expected: "keys of the models, passkey types and attestation breakglass.fido2.profile declares",
      actual: problem,
    }),
  );
}
