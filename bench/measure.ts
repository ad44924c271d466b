/**
 * Runs one contestant's command under `/usr/bin/time -v` and measures it: wall time from our
 * side (spawn to exit), peak memory from time's "Maximum resident set size" — for a shell
 * pipeline or a forking tool that is the largest single process among the waited-for
 * descendants (getrusage RUSAGE_CHILDREN), never the database servers.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface MeasuredCommand {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Everything the command prints goes here (kept for failures). */
  readonly logFile: string;
}

export interface Measurement {
  readonly exitCode: number;
  readonly wallSeconds: number;
  readonly peakRssKb: number | undefined;
  /** Last lines of the output, for failure reports. */
  readonly tail: string;
}

export const TIME_BINARY = '/usr/bin/time';

export function measure(command: MeasuredCommand): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(command.logFile);
    const started = performance.now();
    const child = spawn(TIME_BINARY, ['-v', ...command.argv], {
      env: { ...process.env, ...command.env },
      cwd: command.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let recent = '';
    const keep = (chunk: Buffer) => {
      log.write(chunk);
      recent = (recent + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      log.end(() => resolve({ exitCode: code ?? 1, wallSeconds, peakRssKb: parseMaxRss(recent), tail: tailOf(stripTimeReport(recent), 15) }));
    });
  });
}

/** The "Maximum resident set size (kbytes): N" line of `time -v`. */
export function parseMaxRss(output: string): number | undefined {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
  return match ? Number(match[1]) : undefined;
}

function stripTimeReport(output: string): string {
  const at = output.lastIndexOf('\tCommand being timed:');
  return at >= 0 ? output.slice(0, at) : output;
}

function tailOf(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
