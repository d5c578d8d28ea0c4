import { describe, expect, it } from "vitest";
import { gaActivationPolicy } from "../../policies/rules/gaActivationPolicy";
import { PACK_CONFIG, byName, compliantStack, urnOf, type Mode } from "../support/pack/stackFixture";
import { messages, mutate, runStackPolicy } from "../support/pack/harness";
import { unknownStringValue } from "../support/pack/unknowns";

const config = PACK_CONFIG["ga-activation-policy"];
const run = (stack: ReturnType<typeof compliantStack>, cfg: Record<string, unknown> = config) =>
  runStackPolicy(gaActivationPolicy, stack, cfg).then(messages);
const policyOf = (s: ReturnType<typeof compliantStack>) =>
  byName(s, "global-admin-activation").inputs as Record<string, any>;
const prefix = 'RoleManagementPolicy "global-admin-activation": ';

describe("ga-activation-policy", () => {
  for (const mode of ["update", "preview"] as Mode[]) {
    it(`passes the compliant activation policy (${mode})`, async () => {
      expect(await run(compliantStack({ mode }))).toEqual([]);
    });
  }

  it("rejects a missing activation policy", async () => {
    const stack = compliantStack({ mode: "update" }).filter((r) => r.name !== "global-admin-activation");
    expect((await run(stack))[0]).toMatch(/^No Global Administrator activation policy/);
  });

  const cases: [string, (p: Record<string, any>) => void, string][] = [
    [
      "activation raised to 8 h",
      (p) => (p.maxActivationDuration = "PT8H"),
      "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours.",
    ],
    [
      "approval turned off",
      (p) => (p.approval.required = false),
      "activation does not require approval (CISA MS.AAD.7.6).",
    ],
    ["no justification", (p) => (p.requireJustification = false), "activation does not require a justification."],
    ["no ticket", (p) => (p.requireTicket = false), "activation does not require a ticket reference."],
    [
      "no notification recipients",
      (p) => (p.notificationRecipients = []),
      "no notification recipients: assignments and activations alert nobody (CISA MS.AAD.7.7/7.8).",
    ],
    [
      "an eligible admin who is the only approver",
      (p) => (p.approval.approvers = [{ kind: "user", id: "aaaaaaaa-0000-4000-8000-000000000001" }]),
      "eligible admin aaaaaaaa-0000-4000-8000-000000000001 has no approver other than themselves.",
    ],
  ];
  it.each(cases)("rejects %s", async (_, change, message) => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => change(policyOf(s)));
    expect(await run(stack)).toEqual([prefix + message]);
  });

  it("rejects an activation policy without an authentication context", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => (policyOf(s).authenticationContextId = null));
    expect(await run(stack)).toEqual([
      prefix +
        "activation does not require an authentication context, so no fresh phishing-resistant MFA challenge is forced.",
    ]);
  });

  it("rejects an authentication context whose CA policy does not force sign-in every time", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      (byName(s, "activation-context-policy").inputs as any).sessionControls.signInFrequency.frequencyInterval =
        "timeBased";
    });
    expect(await run(stack)).toEqual([
      prefix +
        'no Conditional Access policy on authentication context "c1" is enabled with sign-in frequency "everyTime" and a grant of phishing-resistant MFA, so activation does not force a fresh phishing-resistant MFA: activation-context-policy: sign-in frequency is "timeBased", not "everyTime".',
    ]);
  });

  const caPolicyOf = (s: ReturnType<typeof compliantStack>) =>
    byName(s, "activation-context-policy").inputs as Record<string, any>;
  const noGrant = (detail: string) =>
    prefix +
    `no Conditional Access policy on authentication context "c1" is enabled with sign-in frequency "everyTime" and a grant of phishing-resistant MFA, so activation does not force a fresh phishing-resistant MFA: activation-context-policy: ${detail}.`;
  const grantCases: [string, Record<string, unknown>, string][] = [
    [
      "plain MFA instead of the phishing-resistant strength",
      { operator: "OR", builtInControls: ["mfa"] },
      'its grant does not require authentication strength Phishing-resistant MFA (00000000-0000-0000-0000-000000000004) or a stronger one (operator "OR", authenticationStrength null, builtInControls ["mfa"])',
    ],
    [
      "the MFA strength (…0002) instead of phishing-resistant MFA",
      { operator: "OR", authenticationStrength: { id: "00000000-0000-0000-0000-000000000002" } },
      'its grant does not require authentication strength Phishing-resistant MFA (00000000-0000-0000-0000-000000000004) or a stronger one (operator "OR", authenticationStrength "00000000-0000-0000-0000-000000000002")',
    ],
    [
      "the strength OR a compliant device",
      {
        operator: "OR",
        builtInControls: ["compliantDevice"],
        authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" },
      },
      'its grant (operator OR) can be met without authentication strength Phishing-resistant MFA (operator "OR", authenticationStrength "00000000-0000-0000-0000-000000000004", builtInControls ["compliantDevice"])',
    ],
  ];
  it.each(grantCases)("rejects an activation CA policy granting with %s", async (_, grantControls, detail) => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => (caPolicyOf(s).grantControls = grantControls));
    expect(await run(stack)).toEqual([noGrant(detail)]);
  });

  it("accepts the strength AND a compliant device (the device only adds to it)", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      caPolicyOf(s).grantControls = {
        operator: "AND",
        builtInControls: ["compliantDevice"],
        authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" },
      };
    });
    expect(await run(stack)).toEqual([]);
  });

  it("reports an activation CA policy whose grant is unknown at preview instead of passing it", async () => {
    const stack = mutate(
      compliantStack({ mode: "preview" }),
      (s) => (caPolicyOf(s).grantControls.authenticationStrength = unknownStringValue),
    );
    expect(await run(stack)).toEqual([
      prefix +
        'grantControls of the Conditional Access policy activation-context-policy on authentication context "c1" is unknown at preview, so the fresh MFA on activation cannot be verified; declare it from config.',
    ]);
  });

  it("passes when another, known policy on the context enforces while one is unknown at preview", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => {
      const copy = structuredClone(byName(s, "activation-context-policy"));
      copy.name = "activation-context-policy-2";
      copy.urn = urnOf(copy.type, copy.name);
      (copy.inputs as Record<string, any>).state = unknownStringValue;
      s.push(copy);
    });
    expect(await run(stack)).toEqual([]);
  });

  it("rejects a context nobody targets, and a context other than the configured one", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => (policyOf(s).authenticationContextId = "c2"));
    expect(await run(stack)).toEqual([
      prefix + 'activation requires authentication context "c2", not the configured "c1".',
      prefix +
        'authentication context "c2" is not declared in this stack (pulumi-nodejs:dynamic/conditionalAccess:AuthenticationContext).',
      prefix + 'no Conditional Access policy targets authentication context "c2", so activation forces no fresh MFA.',
    ]);
  });

  it("follows its config: a 2-hour limit rejects the 4-hour policy", async () => {
    expect(await run(compliantStack({ mode: "update" }), { ...config, maxActivationDuration: "PT2H" })).toEqual([
      prefix + "activation maximum duration PT4H (4 hours) exceeds the allowed 2 hours.",
    ]);
  });

  it("reports a setting that is unknown at preview instead of skipping the rule", async () => {
    const stack = mutate(compliantStack({ mode: "preview" }), (s) => (policyOf(s).requireTicket = unknownStringValue));
    expect(await run(stack)).toEqual([
      prefix +
        "requireTicket is unknown at preview, so the activation policy cannot be verified; declare it from config.",
    ]);
  });
});
