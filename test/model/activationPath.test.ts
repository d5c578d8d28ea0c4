/** Whether an admin can still activate a role once it is no longer standing: policy, context, registered methods. */
import { describe, expect, it } from "vitest";
import {
  activationPathProblems,
  caPolicyFromGraph,
  tier0Requirement,
  GLOBAL_ADMINISTRATOR,
  type RoleActivationFacts,
} from "@entra-baseline/model";
import { activationSettings, APPROVER_USER } from "../support/builders/activationSettings";
import { activationCaPolicy } from "../support/fakes/tenant";

const GROUP = "9b000000-0000-4000-8000-000000000001";
const ADMIN = {
  id: "ad000000-0000-4000-8000-000000000001",
  label: "megan@contoso.com",
  methodsRegistered: ["microsoftAuthenticatorPush"],
};

function role(change: Partial<RoleActivationFacts> = {}): RoleActivationFacts {
  return {
    roleName: "Global Administrator",
    live: activationSettings(),
    declared: activationSettings(),
    requirement: tier0Requirement(GLOBAL_ADMINISTRATOR),
    strength: "mfa",
    policies: [caPolicyFromGraph(activationCaPolicy("c1", [GROUP], "mfa"))],
    breakglass: { groupKeys: [GROUP], accounts: [] },
    ...change,
  };
}

describe("activationPathProblems", () => {
  it("is empty when the policy is as declared, the context's CA policy is canonical and a method satisfies the strength", () => {
    expect(activationPathProblems(role(), ADMIN)).toEqual([]);
  });

  it("names a policy that differs from the declaration", () => {
    const problems = activationPathProblems(
      role({ live: activationSettings({ maxActivationDuration: "PT2H" }) }),
      ADMIN,
    );
    expect(problems).toEqual([
      "the Global Administrator PIM policy is not what the stack declares (maxActivationDuration differ)",
    ]);
  });

  it("names what the live policy lacks against the role's requirement, even when the stack declares it so", () => {
    const weak = activationSettings({ approval: { required: false, approvers: [] } });
    const problems = activationPathProblems(role({ live: weak, declared: weak }), ADMIN);
    expect(problems).toEqual([
      "Global Administrator PIM policy: activation does not require approval (CISA MS.AAD.7.6)",
    ]);
  });

  it("refuses an admin who would be their own only approver", () => {
    const self = { ...ADMIN, id: APPROVER_USER };
    const only = activationSettings({ approval: { required: true, approvers: [{ kind: "user", id: APPROVER_USER }] } });
    expect(activationPathProblems(role({ live: only, declared: only }), self)).toEqual([
      `Global Administrator PIM policy: eligible admin ${APPROVER_USER} has no approver other than themselves`,
    ]);
  });

  it("names an unreadable policy", () => {
    expect(activationPathProblems(role({ live: undefined }), ADMIN)).toEqual([
      "the Global Administrator PIM policy could not be read",
    ]);
  });

  it("requires an enabled CA policy on the context, in its canonical form", () => {
    expect(activationPathProblems(role({ policies: [] }), ADMIN)).toEqual([
      "no Conditional Access policy targets authentication context c1",
    ]);
    const off = caPolicyFromGraph({ ...activationCaPolicy("c1", [GROUP], "mfa"), state: "disabled" });
    const problems = activationPathProblems(role({ policies: [off] }), ADMIN);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/on c1: its state is "disabled", not "enabled"/);
  });

  it("requires a registered method that satisfies the strength (a temporary access pass does not last)", () => {
    expect(activationPathProblems(role(), { ...ADMIN, methodsRegistered: ["email", "temporaryAccessPass"] })).toEqual([
      "megan@contoso.com has no registered method that satisfies Multifactor authentication (registered: email, temporaryAccessPass)",
    ]);
    const strong = role({
      strength: "phishingResistant",
      policies: [caPolicyFromGraph(activationCaPolicy("c1", [GROUP], "phishingResistant"))],
    });
    expect(activationPathProblems(strong, ADMIN)).toEqual([
      "megan@contoso.com has no registered method that satisfies Phishing-resistant MFA (registered: microsoftAuthenticatorPush)",
    ]);
    expect(activationPathProblems(strong, { ...ADMIN, methodsRegistered: ["passKeyDeviceBound"] })).toEqual([]);
    expect(activationPathProblems(role(), { ...ADMIN, methodsRegistered: undefined })).toEqual([
      "megan@contoso.com's registered authentication methods could not be read",
    ]);
  });
});
