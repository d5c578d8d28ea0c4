/**
 * The emergency accounts' passwords: as long as Entra allows (256 characters), all four character classes with
 * generous minimums (Entra needs 3 of 4), and only ASCII symbols Entra accepts — no Unicode, no space, no quote or
 * backslash that a person typing it from a sealed envelope or a password manager could mangle. Reference §4.
 */
import type * as random from "@pulumi/random";

export const PASSWORD_LENGTH = 256;

/** Symbols from Entra's allowed set; deliberately without space, quotes, backslash and backtick. */
export const PASSWORD_SYMBOLS = "!#$%&()*+,-./:;<=>?@[]^_{|}~";

export const PASSWORD_ARGS: random.RandomPasswordArgs = {
  length: PASSWORD_LENGTH,
  upper: true,
  lower: true,
  numeric: true,
  special: true,
  minUpper: 16,
  minLower: 16,
  minNumeric: 16,
  minSpecial: 16,
  overrideSpecial: PASSWORD_SYMBOLS,
};
