/**
 * The proposed stack's program, run offline under the plan's mocks (src/tools/plan), with one difference: where the
 * tenant already holds the object a resource declares — an emergency account by its UPN, an admin looked up by
 * azuread.getUser, the exclusion group by its name — the mocks answer with that object's live id. The planned
 * resources then name the objects they adopt, and the import file is read off them.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerTypes } from "@entra-baseline/model";
import type { StackFile } from "../../config/stackFile";
import type { BaselineConfig } from "../../config/validate";
import type { ProgramRun } from "../engine/runProgram";
import { planMocks } from "../plan/mocks";
import { lower } from "../audit/raw";
import type { TenantView } from "./view";

export function adoptMocks(config: BaselineConfig, view: TenantView, exclusionGroupId?: string): pulumi.runtime.Mocks {
  const base = planMocks(config);
  return {
    async newResource(args) {
      const answer = await base.newResource(args);
      const live =
        args.type === providerTypes.user
          ? lower(view.userByRef(String(args.inputs.userPrincipalName ?? ""))?.id)
          : args.type === providerTypes.group &&
              exclusionGroupId &&
              String(args.inputs.displayName ?? "") === config.breakglass.groupName
            ? exclusionGroupId
            : undefined;
      return live ? { id: live, state: { ...answer.state, objectId: live } } : answer;
    },
    async call(args) {
      const answer = await base.call(args);
      if (args.token !== "azuread:index/getUser:getUser" || typeof args.inputs.userPrincipalName !== "string")
        return answer;
      const live = lower(view.userByRef(args.inputs.userPrincipalName)?.id);
      return live ? { ...answer, id: live, objectId: live } : answer;
    },
  };
}

/** Runs the baseline for the proposed stack under adopt's mocks. */
export async function planProposed(
  stackFile: Pick<StackFile, "stack" | "raw" | "passthrough">,
  config: BaselineConfig,
  view: TenantView,
  exclusionGroupId?: string,
): Promise<ProgramRun> {
  // Loaded here: the Pulumi runtime and the program load only once the proposal is known to be valid.
  const { planBaseline } = await import("../plan/plan");
  // The program's own logging (pulumi.log prints to stdout without an engine) must not mix with adopt's output.
  const { log, info } = console;
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  try {
    return await planBaseline(stackFile, config, adoptMocks(config, view, exclusionGroupId));
  } finally {
    Object.assign(console, { log, info });
  }
}
