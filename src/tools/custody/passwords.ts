/**
 * The breakglass passwords in a `pulumi stack export --show-secrets`, exactly, for the custodians to seal.
 *
 * In an export a secret is a wrapped object, `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 * "plaintext": "<JSON text>"}`: the value is the JSON-decoded `plaintext` (a password is a JSON string, so the raw
 * `plaintext` carries quotes and escapes — what `jq -r '….outputs.result'` printed). Without --show-secrets the object
 * carries `ciphertext` instead, which only the stack's secrets provider can open: that export is refused.
 *
 * Each account's password is the one set on the account (the azuread User's `password`, outputs first, then inputs),
 * checked against the RandomPassword it came from (the User's propertyDependencies). They differ only when the last
 * update replaced the RandomPassword but did not get to set it on the account; sealing either would be wrong, so that
 * is refused too. Nothing here ever puts a password into an error message.
 */
import { UserInputError } from "../../cli/errors";
import { componentTypes, providerTypes } from "@entra-baseline/model";
import { readStackExport } from "../engine/stackExport";
import { SECRET_SIG, SECRET_SIG_KEY } from "../engine/secrets";

export interface CustodyPassword {
  /** The account's user principal name. */
  account: string;
  /** URN of the azuread User in the stack. */
  urn: string;
  password: string;
}

/** Where a password was found: decoded, encrypted (ciphertext only), or not there. */
type Found =
  { kind: "value"; value: string } | { kind: "encrypted" } | { kind: "absent" } | { kind: "invalid"; reason: string };

/** `pulumi stack export --show-secrets` makes plaintext exports; without it the values are ciphertext. */
export const SHOW_SECRETS_HINT =
  "export the stack with `pulumi stack export --stack <stack> --show-secrets` (someone with the right to decrypt the stack's secrets)";

/** Every breakglass account's password in `doc` (a parsed stack export), by account. `source` names the export in errors. */
export function breakglassPasswords(doc: unknown, source: string): CustodyPassword[] {
  const resources = readStackExport(doc, source); // checks the export's shape, naming each defect
  const raw = new Map<string, Record<string, unknown>>();
  for (const r of (doc as { deployment: { resources: Record<string, unknown>[] } }).deployment.resources)
    raw.set(r.urn as string, r);

  const users = resources.filter(
    (r) => r.type === providerTypes.user && r.parent !== undefined && isBreakglassComponent(r.parent),
  );
  if (users.length === 0)
    throw new UserInputError(
      `${source}: has no breakglass account (no ${providerTypes.user} inside a ${componentTypes.breakglass}): is it the export of the stack that declares the baseline?`,
    );

  const encrypted: string[] = [];
  const problems: string[] = [];
  const out: CustodyPassword[] = [];
  for (const user of users) {
    const state = raw.get(user.urn)!;
    const account = stringProp(state, "userPrincipalName");
    if (account === undefined) {
      problems.push(`${user.urn}: has no userPrincipalName`);
      continue;
    }
    const applied = first(secretAt(state.outputs, "password"), secretAt(state.inputs, "password"));
    const randomPassword = (user.propertyDependencies.password ?? [])
      .map((urn) => raw.get(urn))
      .find((r) => r?.type === providerTypes.randomPassword);
    const generated: Found = randomPassword ? secretAt(randomPassword.outputs, "result") : { kind: "absent" };
    const invalid = [applied, generated].find((f) => f.kind === "invalid");
    if (invalid?.kind === "invalid") {
      problems.push(`${account}: ${invalid.reason}`);
      continue;
    }
    if (applied.kind === "encrypted" || generated.kind === "encrypted") {
      encrypted.push(account);
      continue;
    }
    if (applied.kind === "value" && generated.kind === "value" && applied.value !== generated.value) {
      problems.push(
        `${account}: the password set on the account differs from its RandomPassword ${String(randomPassword!.urn)}: the last update replaced the password but did not set it on the account; finish that update (re-run the deploy) before sealing`,
      );
      continue;
    }
    const password =
      applied.kind === "value" ? applied.value : generated.kind === "value" ? generated.value : undefined;
    if (password === undefined || password === "") {
      problems.push(`${account}: no password in the export (neither on the account nor on a RandomPassword it uses)`);
      continue;
    }
    out.push({ account, urn: user.urn, password });
  }
  if (encrypted.length > 0)
    throw new UserInputError(
      `${source}: the passwords of ${encrypted.join(", ")} are encrypted (the export holds their ciphertext, not their value): ${SHOW_SECRETS_HINT}`,
    );
  if (problems.length > 0)
    throw new UserInputError(
      `${source}: cannot take the breakglass passwords:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  const accounts = out.map((p) => p.account.toLowerCase());
  const twice = accounts.filter((a, i) => accounts.indexOf(a) !== i);
  if (twice.length > 0) throw new UserInputError(`${source}: the account ${twice[0]} appears twice`);
  return out.sort((a, b) => (a.account < b.account ? -1 : 1));
}

/** A component URN's type chain ends with the breakglass component's type (it may sit inside the user's own). */
function isBreakglassComponent(urn: string): boolean {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType === componentTypes.breakglass || qualifiedType.endsWith(`$${componentTypes.breakglass}`);
}

function stringProp(state: Record<string, unknown>, key: string): string | undefined {
  for (const bag of [state.outputs, state.inputs]) {
    const v = isRecord(bag) ? bag[key] : undefined;
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

function first(...found: Found[]): Found {
  return found.find((f) => f.kind !== "absent") ?? { kind: "absent" };
}

/** The value of `bag[key]`: a secret's decoded plaintext (or wire `value`), or a plain string. */
function secretAt(bag: unknown, key: string): Found {
  const v = isRecord(bag) ? bag[key] : undefined;
  if (v === undefined || v === null) return { kind: "absent" };
  if (typeof v === "string") return { kind: "value", value: v };
  const notAString: Found = { kind: "invalid", reason: `its ${key} is not a string secret` };
  if (!isRecord(v) || v[SECRET_SIG_KEY] !== SECRET_SIG) return notAString;
  if (typeof v.plaintext === "string") {
    try {
      const decoded: unknown = JSON.parse(v.plaintext);
      return typeof decoded === "string" ? { kind: "value", value: decoded } : notAString;
    } catch {
      return { kind: "invalid", reason: `its ${key} secret's plaintext is not the JSON text --show-secrets writes` };
    }
  }
  if (typeof v.value === "string") return { kind: "value", value: v.value };
  if (typeof v.ciphertext === "string") return { kind: "encrypted" };
  return notAString;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
