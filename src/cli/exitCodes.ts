/** The exit codes of every command (plan, check, audit, review and the write commands): README "Commands". */
export const EXIT = {
  /** Done, and nothing at or above the failing threshold. */
  ok: 0,
  /** Findings: a mandatory policy violation (plan, check), a finding at or above --fail-on (audit), a lock-out risk. */
  findings: 1,
  /** Bad input: flags, the stack file, an input file, an output file that cannot be written, missing rights. */
  invalidInput: 2,
  /** The run itself failed: the program, the policy pack, a query, an unexpected error. */
  failure: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
