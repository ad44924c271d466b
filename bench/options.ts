/**
 * Command-line options of `npm run bench` (pure, so the test can check the parsing).
 *   --rows N          orders rows to generate (default 1,000,000; customers stay at 50,000)
 *   --runs N          rounds per contestant, best-of-N (default 2)
 *   --only LIST       comma list of: mysql, postgres, compiler (default: all three)
 *   --workers N       dmsplan `workers` setting (default: the plan's default, left unset)
 *   --validate LEVEL  dmsplan `validate` setting: none | counts | checksums (default: unset = counts)
 *   --regenerate      rebuild the source databases even if they already hold N rows
 *   --no-docs         do not rewrite docs/performance.md
 *   --keep-targets    leave the last target databases in place for inspection
 */
export type BenchPart = 'mysql' | 'postgres' | 'compiler';
export type ValidationSetting = 'none' | 'counts' | 'checksums';

export interface BenchOptions {
  readonly rows: number;
  readonly customers: number;
  readonly runs: number;
  readonly parts: readonly BenchPart[];
  readonly workers: number | undefined;
  readonly validate: ValidationSetting | undefined;
  readonly regenerate: boolean;
  readonly writeDocs: boolean;
  readonly keepTargets: boolean;
  readonly compilerTables: number;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  rows: 1_000_000,
  customers: 50_000,
  runs: 2,
  parts: ['mysql', 'postgres', 'compiler'],
  workers: undefined,
  validate: undefined,
  regenerate: false,
  writeDocs: true,
  keepTargets: false,
  compilerTables: 1000,
};

const PARTS: readonly BenchPart[] = ['mysql', 'postgres', 'compiler'];
const LEVELS: readonly ValidationSetting[] = ['none', 'counts', 'checksums'];

export function parseBenchArgs(argv: readonly string[]): BenchOptions | { readonly error: string } {
  let options: BenchOptions = DEFAULT_OPTIONS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--rows':
      case '--runs':
      case '--workers':
      case '--compiler-tables': {
        const text = value();
        const n = text === undefined ? NaN : Number(text.replace(/_/g, ''));
        if (!Number.isInteger(n) || n < 1) return { error: `${flag} expects a positive integer, got ${text ?? 'nothing'}` };
        if (flag === '--rows') options = { ...options, rows: n };
        else if (flag === '--runs') options = { ...options, runs: n };
        else if (flag === '--workers') options = { ...options, workers: n };
        else options = { ...options, compilerTables: n };
        break;
      }
      case '--only': {
        const list = (value() ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = list.filter((p) => !PARTS.includes(p as BenchPart));
        if (list.length === 0 || unknown.length) return { error: `--only expects a comma list of ${PARTS.join(', ')}, got ${unknown.join(', ') || 'nothing'}` };
        options = { ...options, parts: PARTS.filter((p) => list.includes(p)) };
        break;
      }
      case '--validate': {
        const level = value();
        if (!LEVELS.includes(level as ValidationSetting)) return { error: `--validate expects one of ${LEVELS.join(', ')}, got ${level ?? 'nothing'}` };
        options = { ...options, validate: level as ValidationSetting };
        break;
      }
      case '--regenerate':
        options = { ...options, regenerate: true };
        break;
      case '--no-docs':
        options = { ...options, writeDocs: false };
        break;
      case '--keep-targets':
        options = { ...options, keepTargets: true };
        break;
      default:
        return { error: `unknown option ${arg}` };
    }
  }
  return options;
}
