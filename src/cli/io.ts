/**
 * What a command reads and writes besides files: its output streams, its working directory and environment. Commands
 * take a CliIo so that tests run them in-process with captured output; `processIo()` is the real one.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The directory relative paths are resolved against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Progress is drawn on stderr only when it is a terminal. */
  stderrIsTTY: boolean;
  /** Terminal width, for tables. */
  columns?: number;
  /** A secret may be shown on stdout only when it is a terminal (never into a pipe, a file or a CI log). */
  stdoutIsTTY?: boolean;
  /**
   * The binary the commands run as (`entra-baseline`, where the library is installed): usage then reads
   * `entra-baseline plan [options]`. Unset: this repository's `npm run plan -- [options]`.
   */
  binary?: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stdout.columns,
    stdoutIsTTY: process.stdout.isTTY === true,
  };
}

/** An in-memory CliIo for tests and for composing commands: what was written is kept. */
export function memoryIo(
  options: Partial<Omit<CliIo, "stdout" | "stderr">> = {},
): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stderrIsTTY: options.stderrIsTTY ?? false,
    columns: options.columns,
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    binary: options.binary,
  };
  return io;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
