/** Exit codes shared by `npm run plan` and `npm run check` (docs/plan.md). */
export const EXIT = {
  /** Planned/checked and the policy pack found no mandatory violation. */
  ok: 0,
  /** The policy pack reported at least one mandatory violation. */
  mandatoryViolations: 1,
  /** The input is wrong: invalid stack config, unreadable stack file or stack export, bad flags. */
  invalidInput: 2,
  /** The program or the policy pack failed to run. */
  failure: 3,
} as const;
