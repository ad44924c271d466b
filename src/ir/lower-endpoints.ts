/** `source NAME ENGINE { ... }` and `target NAME ENGINE { ... }` → EndpointIR. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { hasUrlPassword } from '../engines/url.js';
import type { EndpointAst, SettingAst, SubBlockAst } from '../syntax/ast.js';
import type { EndpointIR, EngineName, TargetPreparation, TlsIR, UrlRef } from './ir.js';
import { FILE_ENGINES, resolveEngine } from './lower-names.js';
import type { Report } from './lower-report.js';
import { readFreeSettings, readSettings } from './lower-settings.js';

const TLS_MODES = ['disable', 'prefer', 'require', 'verify_ca', 'verify_full'] as const;
const PREPARATIONS = ['do_nothing', 'truncate', 'drop_and_create'] as const;
const SUB_BLOCKS = ['tls', 'session'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What maps and merges need to know about a declared endpoint (even one that failed to lower). */
export interface EndpointEntry {
  readonly name: string;
  readonly role: 'source' | 'target';
  readonly span: Span;
}

export function lowerEndpoint(ast: EndpointAst, report: Report): EndpointIR | undefined {
  const engine = resolveEngine(ast.engine, report);
  const description = `${ast.role} '${ast.name.text}'`;
  const settings = ast.items.filter((i): i is SettingAst => i.kind === 'setting');
  const read = readSettings(
    settings,
    ast.role === 'target' ? { url: { kind: 'ref' }, prepare: { kind: 'enum', values: PREPARATIONS } } : { url: { kind: 'ref' } },
    description,
    report,
    ast.role === 'source' ? { prepare: 'it applies to targets only' } : {},
  );
  const url = read.ref('url');
  if (url) checkUrl(url, engine, report);
  else if (!read.has('url') && !settings.some((s) => s.name.text === 'url')) {
    report.error(LANGUAGE.missingSetting, `${description} has no url`, ast.name.span, `add url = env("${envSuggestion(ast.name.text)}")`);
  }

  let tls: TlsIR | undefined;
  let session: EndpointIR['session'] = [];
  const seenBlocks = new Map<string, SubBlockAst>();
  for (const block of ast.items.filter((i): i is SubBlockAst => i.kind === 'block')) {
    const name = block.name.text;
    if (!(SUB_BLOCKS as readonly string[]).includes(name)) {
      const hint = name.toLowerCase() === 'ssl' ? "did you mean 'tls'?" : didYouMean(name, SUB_BLOCKS);
      report.error(LANGUAGE.unknownBlock, `unknown block '${name}' in ${description}`, block.name.span, hint ?? `blocks here: ${SUB_BLOCKS.join(', ')}`);
      continue;
    }
    const first = seenBlocks.get(name);
    if (first) {
      report.error(LANGUAGE.duplicateSetting, `'${name}' appears twice in ${description}`, block.name.span, 'merge the two blocks', [{ message: 'first here', span: first.name.span }]);
      continue;
    }
    seenBlocks.set(name, block);
    if (name === 'tls') {
      if (engine && FILE_ENGINES.includes(engine)) report.error(LANGUAGE.blockNotApplicable, `tls does not apply to ${engine}: it is a file database`, block.name.span, 'remove the tls block');
      const t = readSettings(block.settings, { mode: { kind: 'enum', values: TLS_MODES }, ca: { kind: 'ref' }, cert: { kind: 'ref' }, key: { kind: 'ref' } }, `the tls block of ${description}`, report);
      for (const ref of [t.ref('ca'), t.ref('cert'), t.ref('key')]) if (ref?.kind === 'env') checkEnvName(ref, report);
      tls = { mode: t.enumValue<TlsIR['mode']>('mode', 'require'), ca: t.ref('ca'), cert: t.ref('cert'), key: t.ref('key') };
    } else {
      if (engine === 'sqlite') report.error(LANGUAGE.blockNotApplicable, 'session settings do not apply to sqlite (it has no SET)', block.name.span, 'remove the session block');
      session = readFreeSettings(block.settings, `the session block of ${description}`, report).map((s) => ({ name: s.name, value: s.value, span: s.setting.span }));
    }
  }

  if (!engine || !url) return undefined;
  return {
    role: ast.role,
    name: ast.name.text,
    engine,
    url,
    prepare: ast.role === 'target' ? read.enumValue<TargetPreparation>('prepare', 'do_nothing') : 'do_nothing',
    tls,
    session,
    span: ast.span,
  };
}

function envSuggestion(endpointName: string): string {
  return `${endpointName.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}_URL`;
}

function checkEnvName(ref: UrlRef & { kind: 'env' }, report: Report): boolean {
  if (ENV_NAME.test(ref.variable)) return true;
  report.error(LANGUAGE.invalidEnvName, `env() takes the name of an environment variable, not '${ref.variable}'`, ref.span, 'write env("NAME"), with the URL in the environment variable NAME');
  return false;
}

/** Secrets never live in plans: a password in a literal URL (or an env() default) is an error. */
function checkUrl(url: UrlRef, engine: EngineName | undefined, report: Report): void {
  if (url.kind === 'env') {
    const nameOk = checkEnvName(url, report);
    if (nameOk && url.fallback !== undefined && containsPassword(url.fallback)) {
      report.error(LANGUAGE.urlWithPassword, 'the default URL of env() contains a password; plans must not hold secrets', url.span, `write env("${url.variable}") and set the full URL in the environment`);
    }
    return;
  }
  if (containsPassword(url.value)) {
    report.error(LANGUAGE.urlWithPassword, 'this URL contains a password; plans must not hold secrets', url.span, 'write url = env("VARIABLE") and set the URL in the environment');
    return;
  }
  if (engine && !FILE_ENGINES.includes(engine)) {
    report.warning(LANGUAGE.literalServerUrl, `literal URL for a ${engine} server`, url.span, `prefer url = env("VARIABLE", "${url.value}")`);
  }
}

/** `scheme://user:secret@host`, `?password=...`, or `Password=...;` (ADO-style connection strings). */
export function containsPassword(url: string): boolean {
  return hasUrlPassword(url) || /[?&;](password|pwd|pass)=[^&;]/i.test(url) || /(^|;)\s*(password|pwd)\s*=\s*[^;\s]/i.test(url);
}
