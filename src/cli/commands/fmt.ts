/**
 * `dmsplan fmt [--check] FILE…` — rewrites plans in the canonical format, in place (`-`: stdin to
 * stdout). Exit 0 ok, 1 usage or unreadable file, 2 a file does not parse (left untouched),
 * 3 with --check: some file is not formatted (their names are printed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderDiagnostics, shouldColor } from '../../diagnostics/render.js';
import { formatPlan } from '../../syntax/format.js';
import { parseArgs } from '../args.js';
import type { CliIO, Command } from '../io.js';

const USAGE = 'usage: dmsplan fmt [--check] FILE...   (FILE "-" reads stdin and writes stdout)';

export const fmtCommand: Command = async (args, io) => {
  try {
    const parsed = parseArgs(args, [{ name: 'check', takesValue: false }]);
    if ('error' in parsed || parsed.positional.length === 0) {
      io.stderr.write(`dmsplan fmt: ${'error' in parsed ? parsed.error : 'no files given'}\n${USAGE}\n`);
      return 1;
    }
    const check = parsed.flags.has('check');
    let parseFailed = false;
    let unreadable = false;
    let unformatted = false;
    for (const file of parsed.positional) {
      const outcome = file === '-' ? await formatStdin(io, check) : formatFile(file, io, check);
      parseFailed ||= outcome === 'parse-error';
      unreadable ||= outcome === 'unreadable';
      unformatted ||= outcome === 'unformatted';
    }
    return parseFailed ? 2 : unreadable ? 1 : unformatted ? 3 : 0;
  } catch (e) {
    io.stderr.write(`dmsplan fmt: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
};

type Outcome = 'ok' | 'unformatted' | 'parse-error' | 'unreadable';

function formatFile(file: string, io: CliIO, check: boolean): Outcome {
  const absolute = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    io.stderr.write(`dmsplan fmt: cannot read ${file}: ${(e as { code?: string }).code ?? String(e)}\n`);
    return 'unreadable';
  }
  const formatted = formatText(text, file, io);
  if (formatted === undefined) return 'parse-error';
  if (formatted === text) return 'ok';
  if (check) {
    io.stdout.write(`${file}\n`);
    return 'unformatted';
  }
  fs.writeFileSync(absolute, formatted);
  return 'ok';
}

async function formatStdin(io: CliIO, check: boolean): Promise<Outcome> {
  const text = await readAll(io.stdin);
  const formatted = formatText(text, '<stdin>', io);
  if (formatted === undefined) return 'parse-error';
  if (check) {
    if (formatted === text) return 'ok';
    io.stdout.write('-\n');
    return 'unformatted';
  }
  io.stdout.write(formatted);
  return 'ok';
}

/** UTF-8's byte order mark, as a string read from UTF-8: some Windows editors begin every file with it. */
const BOM = '\uFEFF';

function formatText(text: string, file: string, io: CliIO): string | undefined {
  // The mark says how the file is encoded, which formatting is not about: kept as it was (fmt
  // dropped it, and `--check` called every such file unformatted).
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  const result = formatPlan(body, file);
  if (result.value === undefined) {
    io.stderr.write(renderDiagnostics(result.diagnostics, { color: shouldColor(io.stderr, io.env), source: () => body }));
    io.stderr.write(`${file}: not formatted, it does not parse\n`);
    return undefined;
  }
  return bom + result.value;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
