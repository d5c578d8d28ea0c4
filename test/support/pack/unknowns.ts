/** The engine's unknown sentinel, taken from @pulumi/policy (it exports it at run time, untyped). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const unknownStringValue: string = (require("@pulumi/policy/proxy") as { unknownStringValue: string })
  .unknownStringValue;
