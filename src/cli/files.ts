/**
 * Input and output files as every command handles them: a file that cannot be read, parsed or written is the user's
 * to fix (UserInputError naming the file and what it was for), never a stack trace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UserInputError } from "./errors";

/** A file system error in words (Node's own messages repeat the path and lead with the errno code). */
export function describeFsError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file or directory";
    case "EISDIR":
      return "is a directory, not a file";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return (e as Error).message;
  }
}

/** A path as the user can read it: relative to `cwd` when it is inside it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** Reads an input file; `what` says what it is for ("the stack export", "the rows file"). */
export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UserInputError(`${displayPath(file)}: cannot read ${what}: ${describeFsError(e)}`);
  }
}

/** Reads and parses a JSON input file; the error names the file, what it was for, and where the JSON breaks. */
export function readJsonFile(file: string, what: string): unknown {
  const text = readTextFile(file, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserInputError(`${displayPath(file)}: ${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Writes an output file (creating its directory); `flag` names the option that asked for it. */
export function writeTextFile(file: string, text: string, flag: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new UserInputError(`${flag} ${file}: cannot be written: ${describeFsError(e)}`);
  }
}
