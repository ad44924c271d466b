/** A CliIO for command tests: captured output, a given stdin, a chosen working directory. */
import { Readable } from 'node:stream';
import type { CliIO } from '../../src/cli/io.js';

export interface FakeIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
}

export function fakeIO(options: { cwd?: string; stdin?: string; tty?: boolean; env?: Record<string, string> } = {}): FakeIO {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => (err += t), isTTY: options.tty ?? false },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]) as unknown as CliIO['stdin'],
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}
