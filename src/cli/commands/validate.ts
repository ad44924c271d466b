/**
 * `dmsplan validate [--json] FILE…` — offline checks of plans: syntax and everything the
 * language knows without a database. Diagnostics with code frames go to stderr and a summary
 * line to stdout; with --json, stdout gets `{"files":[...],"diagnostics":[...]}` instead.
 * Exit 0 when no file has errors (warnings allowed), 1 otherwise (also for usage errors).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LANGUAGE } from '../../diagnostics/codes/language.js';
import { error, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticToJson, renderDiagnostics, shouldColor } from '../../diagnostics/render.js';
import { compilePlan } from '../../ir/load.js';
import { parseArgs } from '../args.js';
import type { Command } from '../io.js';

const USAGE = 'usage: dmsplan validate [--json] FILE...';

export const validateCommand: Command = async (args, io) => {
  try {
    const parsed = parseArgs(args, [{ name: 'json', takesValue: false }]);
    if ('error' in parsed || parsed.positional.length === 0) {
      io.stderr.write(`dmsplan validate: ${'error' in parsed ? parsed.error : 'no files given'}\n${USAGE}\n`);
      return 1;
    }
    const json = parsed.flags.has('json');
    const sources = new Map<string, string>();
    const displayFile = (file: string): string => {
      const relative = path.relative(io.cwd, file);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
    };
    const files: { path: string; valid: boolean; errors: number; warnings: number }[] = [];
    const all: Diagnostic[] = [];
    for (const file of parsed.positional) {
      const diagnostics = validateOne(path.resolve(io.cwd, file), file, sources);
      all.push(...diagnostics);
      files.push({
        path: file,
        valid: !hasErrors(diagnostics),
        errors: diagnostics.filter((d) => d.severity === 'error').length,
        warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      });
    }
    const errors = all.filter((d) => d.severity === 'error').length;
    const warnings = all.filter((d) => d.severity === 'warning').length;
    if (json) {
      io.stdout.write(`${JSON.stringify({ files, diagnostics: all.map((d) => diagnosticToJson(d, displayFile)) })}\n`);
    } else {
      if (all.length > 0) io.stderr.write(renderDiagnostics(all, { color: shouldColor(io.stderr, io.env), source: (f) => sources.get(f), displayFile }));
      const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
      const verdict = errors === 0 ? (files.length === 1 ? 'valid' : 'all valid') : 'invalid';
      io.stdout.write(`${plural(files.length, 'file')} checked: ${verdict} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})\n`);
    }
    return errors === 0 ? 0 : 1;
  } catch (e) {
    io.stderr.write(`dmsplan validate: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
};

function validateOne(absolute: string, shown: string, sources: Map<string, string>): readonly Diagnostic[] {
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (e) {
    return [error(LANGUAGE.importNotFound, `cannot read ${shown}: ${(e as { code?: string }).code ?? String(e)}`)];
  }
  sources.set(absolute, text);
  const result = compilePlan(text, absolute, (importPath) => {
    try {
      const imported = fs.readFileSync(importPath, 'utf8');
      sources.set(importPath, imported);
      return imported;
    } catch {
      return undefined;
    }
  });
  return result.diagnostics;
}
