/** `dmsplan explain CODE` — the catalogue entry of a diagnostic code. Exit 1 for an unknown code. */
import { ALL_CODES, findCode } from '../../diagnostics/codes.js';
import { closestMatch } from '../../diagnostics/suggest.js';
import type { Command } from '../io.js';

export const explainCommand: Command = async (args, io) => {
  if (args.length !== 1 || args[0] === undefined || args[0].startsWith('--')) {
    io.stderr.write('usage: dmsplan explain CODE   (for example: dmsplan explain DMS2003)\n');
    return 1;
  }
  const wanted = normalise(args[0]);
  const info = findCode(wanted);
  if (!info) {
    const guess = closestMatch(wanted, ALL_CODES.map((c) => c.code));
    io.stderr.write(`dmsplan explain: unknown code '${args[0]}'${guess ? `; did you mean ${guess}?` : ''}\n`);
    return 1;
  }
  io.stdout.write(`${info.code}: ${info.title}\n\n${info.explanation.trimEnd()}\n`);
  return 0;
};

/** `2003`, `dms2003` and ` DMS2003 ` all mean DMS2003. */
function normalise(code: string): string {
  const trimmed = code.trim().toUpperCase();
  return /^\d{4}$/.test(trimmed) ? `DMS${trimmed}` : trimmed;
}
