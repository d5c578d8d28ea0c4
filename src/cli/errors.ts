/**
 * The two kinds of failure a command reports, and the one place they become exit codes. Every error a user can fix
 * (a flag, a file, the stack config, a missing permission) is a UserInputError, whatever layer throws it; a run that
 * could not complete for a reason that explains itself (the policy pack died, a query failed) is a RunFailure.
 * Anything else is unexpected and is reported with its stack.
 */
import { EXIT, type ExitCode } from "./exitCodes";

/** A problem the user fixes: reported as one `error:` message, exit 2, nothing written. */
export class UserInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The run failed for a reason its message explains (no stack trace needed): exit 3. */
export class RunFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.message = message;
    this.name = new.target.name;
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof UserInputError ? EXIT.invalidInput : EXIT.failure;
}

/** What the user is shown for `error`: its message, with the stack only when nobody expected it. */
export function describeError(error: unknown): string {
  if (error instanceof UserInputError || error instanceof RunFailure) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
