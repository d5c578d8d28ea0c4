/**
 * The benchmark's stack (bench/pack.ts): the world's compliant stack (test/support/world/stack.ts, what the program
 * declares for the world config, in `update` or `preview` shape) scaled up with more CA policies and more Global
 * Administrator eligibility requests. The tests judge the world's stack itself; this only adds volume to it, so the
 * benchmark measures the stack the pack really sees, with the pack config `npm run plan` derives for it.
 */
import { GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { worldConfig } from "../world/config";
import { byName, byType, resource, urnOf, worldPackConfig, worldStack, type Mode } from "../world/stack";

export { byName, resource, urnOf, type Mode };

const config = worldConfig();

/** The pack config `derivePackConfig` produces for the world (see src/config/packConfig.ts). */
export const PACK_CONFIG = worldPackConfig(config);

export interface StackShape {
  mode: Mode;
  /** azuread CA policies besides the Graph one (the world has 2). */
  caPolicies?: number;
  /** Global Administrator eligibility requests (the world has 3). Counts above global-admin max are for the benchmark. */
  eligibilityRequests?: number;
}

/** The world's compliant stack, with as many CA policies and GA eligibility requests as `shape` asks. */
export function compliantStack(shape: StackShape): PlannedResource[] {
  const out = worldStack(config, shape.mode);
  const copy = (r: PlannedResource, name: string): PlannedResource => ({
    ...structuredClone(r),
    urn: urnOf(r.type, name),
    name,
  });
  const ca = byType(out, providerTypes.conditionalAccessPolicy);
  for (let i = ca.length; i < (shape.caPolicies ?? ca.length); i++) {
    const extra = copy(ca[i % ca.length]!, `ca-${i}`);
    (extra.inputs as { displayName: string }).displayName = `entra-baseline: baseline policy ${i}`;
    out.push(extra);
  }
  const eligible = byType(out, providerTypes.directoryRoleEligibilityScheduleRequest).filter(
    (r) => r.inputs.roleDefinitionId === GLOBAL_ADMINISTRATOR,
  );
  for (let i = eligible.length; i < (shape.eligibilityRequests ?? eligible.length); i++) {
    const extra = copy(eligible[0]!, `global-administrator-eligible-${i}`);
    extra.inputs.principalId = `eeeeeeee-0000-4000-8000-${String(i).padStart(12, "0")}`;
    out.push(extra);
  }
  return out;
}
