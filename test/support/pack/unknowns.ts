/**
 * The engine's unknown sentinel, taken from @pulumi/policy (it exports it at run time, untyped). Its type says what
 * it stands for, so a fixture can put it where the SDK's type is not a string (it is a string at run time).
 */
declare const unknownBrand: unique symbol;
export type Unknown = string & { readonly [unknownBrand]: "the engine's unknown" };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const unknownStringValue = (require("@pulumi/policy/proxy") as { unknownStringValue: string })
  .unknownStringValue as Unknown;
