import { describe, expect, it } from "vitest";
import { gaActivationPolicy } from "../../policies/rules/gaActivationPolicy";
import { PACK_CONFIG, byName, compliantStack, type Mode } from "./stackFixture";
import { messages, mutate, runStackPolicy } from "./harness";
import { unknownStringValue } from "./unknowns";

const config = PACK_CONFIG["ga-activation-policy"];
const run = (stack: ReturnType<typeof compliantStack>, cfg: Record<string, unknown> = config) => runStackPolicy(gaActivationPolicy, stack, cfg).then(messages);
const policyOf = (s: ReturnType<typeof compliantStack>) => byName(s, "global-admin-activation").inputs as Record<string, any>;
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
    ["activation raised to 8 h", (p) => (p.maxActivationDuration = "PT8H"), "activation maximum duration PT8H (8 hours) exceeds the allowed 4 hours."],
    ["approval turned off", (p) => (p.approval.required = false), "activation does not require approval (CISA MS.AAD.7.6)."],
    ["no justification", (p) => (p.requireJustification = false), "activation does not require a justification."],
    ["no ticket", (p) => (p.requireTicket = false), "activation does not require a ticket reference."],
    ["no notification recipients", (p) => (p.notificationRecipients = []), "no notification recipients: assignments and activations alert nobody (CISA MS.AAD.7.7/7.8)."],
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
      prefix + "activation does not require an authentication context, so no fresh phishing-resistant MFA challenge is forced.",
    ]);
  });

  it("rejects an authentication context whose CA policy does not force sign-in every time", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      (byName(s, "activation-context-policy").inputs as any).sessionControls.signInFrequency.frequencyInterval = "timeBased";
    });
    expect(await run(stack)).toEqual([
      prefix +
        'the Conditional Access policy on authentication context "c1" (activation-context-policy) is not enabled with sign-in frequency "everyTime", so activation does not force a fresh MFA.',
    ]);
  });

  it("rejects a context nobody targets, and a context other than the configured one", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => (policyOf(s).authenticationContextId = "c2"));
    expect(await run(stack)).toEqual([
      prefix + 'activation requires authentication context "c2", not the configured "c1".',
      prefix + 'authentication context "c2" is not declared in this stack (pulumi-nodejs:dynamic/conditionalAccess:AuthenticationContext).',
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
      prefix + "requireTicket is unknown at preview, so the activation policy cannot be verified; declare it from config.",
    ]);
  });
});
