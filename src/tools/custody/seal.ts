/**
 * Where the custodians' copy of each password goes: one file per account, readable by its owner only (0600, in a
 * directory created 0700), holding exactly the password — no newline, nothing else — so that what is printed for the
 * envelope is what is in state. Every file is checked before the first is written: an existing one is never
 * overwritten (it may be the only copy of a sealed password), and nothing is half-written.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { UserInputError } from "../../cli/errors";
import { describeFsError, displayPath } from "../../cli/files";
import type { CustodyPassword } from "./passwords";

export interface SealedFile {
  account: string;
  file: string;
  length: number;
  /** First 16 hex digits of the password's SHA-256: `sha256sum FILE` shows the same, so a copy can be checked unread. */
  fingerprint: string;
}

/** A UPN as a file name: the characters a user principal name may hold, nothing that could leave the directory. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@'-]*$/;

export function fingerprint(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("hex").slice(0, 16);
}

export function passwordFile(dir: string, account: string): string {
  if (!SAFE_NAME.test(account) || account.includes(".."))
    throw new UserInputError(`the account name ${JSON.stringify(account)} cannot be a file name`);
  return path.join(dir, `${account}.password`);
}

export function sealToDirectory(passwords: CustodyPassword[], dir: string): SealedFile[] {
  const files = passwords.map((p) => passwordFile(dir, p.account));
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new UserInputError(`--out-dir ${displayPath(dir)}: ${describeFsError(e)}`);
  }
  if (existing && !existing.isDirectory())
    throw new UserInputError(`--out-dir ${displayPath(dir)}: is a file, not a directory`);
  const taken = files.filter((f) => fs.existsSync(f));
  if (taken.length > 0)
    throw new UserInputError(
      `--out-dir ${displayPath(dir)}: ${taken.map((f) => path.basename(f)).join(", ")} already exist${taken.length === 1 ? "s" : ""}; custody never overwrites a password file (it may be the only copy): move it away or choose another directory`,
    );
  try {
    if (!existing) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UserInputError(`--out-dir ${displayPath(dir)}: cannot be created: ${describeFsError(e)}`);
  }
  return passwords.map((p, i) => {
    const file = files[i]!;
    let fd: number;
    try {
      // O_EXCL: a file that appeared since the check above is not overwritten either.
      fd = fs.openSync(file, "wx", 0o600);
    } catch (e) {
      throw new UserInputError(`${displayPath(file)}: cannot be written: ${describeFsError(e)}`);
    }
    try {
      fs.fchmodSync(fd, 0o600); // whatever the umask
      fs.writeSync(fd, p.password);
    } finally {
      fs.closeSync(fd);
    }
    return { account: p.account, file, length: p.password.length, fingerprint: fingerprint(p.password) };
  });
}
