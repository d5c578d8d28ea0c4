/** Exit codes shared by the CLIs: plan, check, review, and the audit's own EXIT (README "Commands"). */
export const EXIT = {
  /** Done, and nothing at or above the failing threshold (no mandatory violation, no finding). */
  ok: 0,
  /** A mandatory violation (plan, check) or a finding at or above --fail-on (audit). */
  mandatoryViolations: 1,
  /** The input is wrong: invalid stack config, unreadable stack file or stack export, bad flags. */
  invalidInput: 2,
  /** The run failed: the program, the policy pack or a query could not complete. */
  failure: 3,
} as const;
