/** A CliIO that records what a reporter writes. */
import { PassThrough } from 'node:stream';
import type { CliIO } from '../../../src/cli/io.js';

export interface RecordingIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
}

export function recordingIO(options: { tty?: boolean; env?: Record<string, string | undefined>; stream?: boolean } = {}): RecordingIO {
  const outChunks: string[] = [];
  const errChunks: string[] = [];
  const stdout = options.stream
    ? Object.assign(new PassThrough(), { isTTY: options.tty ?? false, columns: 100 })
    : { write: (t: string) => outChunks.push(t), isTTY: options.tty ?? false, columns: 100 };
  if (options.stream) (stdout as PassThrough).on('data', (d: Buffer) => outChunks.push(d.toString()));
  return {
    stdout,
    stderr: { write: (t: string) => errChunks.push(t), isTTY: options.tty ?? false },
    stdin: new PassThrough(),
    env: options.env ?? {},
    cwd: '/tmp',
    out: () => outChunks.join(''),
    err: () => errChunks.join(''),
  };
}
