/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * The process exits once the command returns (bin/dmsplan.js), so connections idle at the end
   * may be left for the exit to close (ClosingMode). Tests running commands in process leave it out.
   */
  readonly processExitsAfter?: boolean;
}

/** A command: arguments after its name in, exit code out. Commands never throw at their caller. */
export type Command = (args: readonly string[], io: CliIO) => Promise<number>;

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), processExitsAfter: true };
}
