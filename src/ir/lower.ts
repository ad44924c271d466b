/**
 * AST → IR for a plan and its imports: endpoints are collected from every file first, so maps and
 * merges may refer to endpoints declared in any file; then each construct lowers on its own, and
 * duplicates are reported against their first definition.
 */
import * as path from 'node:path';
import { LANGUAGE } from '../diagnostics/codes/language.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { MigrationAst, PlanAst } from '../syntax/ast.js';
import type { EndpointIR, EngineName, ErrorPolicy, MapIR, MergeIR, MigrationIR, MigrationMode, PlanIR, TypeRulesIR, ValidationLevel } from './ir.js';
import { lowerEndpoint, type EndpointEntry } from './lower-endpoints.js';
import { lowerMap } from './lower-maps.js';
import { lowerMerge } from './lower-merges.js';
import { Report } from './lower-report.js';
import { readSettings } from './lower-settings.js';
import { lowerTypes } from './lower-types.js';

const MODES = ['full_load', 'cdc', 'full_load_and_cdc'] as const;

/** Lowers the main file (first) and its imports (in resolution order) into one IR. */
export function lowerPlan(files: readonly PlanAst[]): { readonly value: PlanIR; readonly diagnostics: readonly Diagnostic[] } {
  const report = new Report();
  const [main] = files;
  const statements = files.flatMap((file, index) => file.statements.map((statement) => ({ statement, isMain: index === 0 })));

  let migrationAst: MigrationAst | undefined;
  for (const { statement, isMain } of statements) {
    if (statement.kind !== 'migration') continue;
    if (!isMain) report.error(LANGUAGE.migrationInImport, 'an imported file cannot have a migration block', statement.span, 'move these settings into the main plan file');
    else if (migrationAst) report.error(LANGUAGE.duplicateMigration, 'a plan has one migration block', statement.span, 'merge the settings into the first block', [{ message: 'first migration block', span: migrationAst.span }]);
    else migrationAst = statement;
  }
  const migration = lowerMigration(migrationAst, main?.file ?? 'plan', report);

  const entries = new Map<string, EndpointEntry>();
  const endpoints: EndpointIR[] = [];
  for (const { statement } of statements) {
    if (statement.kind !== 'endpoint') continue;
    const first = entries.get(statement.name.text);
    if (first) {
      report.error(LANGUAGE.duplicateEndpoint, `'${statement.name.text}' is already the name of a ${first.role}`, statement.name.span, 'give each endpoint its own name', [{ message: 'first declared here', span: first.span }]);
      continue;
    }
    entries.set(statement.name.text, { name: statement.name.text, role: statement.role, span: statement.name.span });
    const endpoint = lowerEndpoint(statement, report);
    if (endpoint) endpoints.push(endpoint);
  }

  refuseUncapturableSources(migration, migrationAst, endpoints, report);

  const maps: MapIR[] = [];
  const mapTargets = new Map<string, MapIR>();
  const typeRules: TypeRulesIR[] = [];
  const merges: MergeIR[] = [];
  const mergeNames = new Map<string, MergeIR['span']>();
  for (const { statement } of statements) {
    switch (statement.kind) {
      case 'map': {
        const map = lowerMap(statement, entries, report);
        if (!map) break;
        // Two maps into the same fixed target schema write the same tables; a `*` schema is
        // derived from each source's schema and so is not a collision by itself.
        const key = map.target.schema === '*' ? undefined : `${map.target.endpoint}.${map.target.schema}.${map.target.table}`;
        const first = key ? mapTargets.get(key) : undefined;
        if (key && first) {
          report.error(LANGUAGE.duplicateMapTarget, `another map already writes to ${key}`, map.target.span, 'use one map, another target schema, or a merge to combine sources', [{ message: 'first map to this target', span: first.target.span }]);
          break;
        }
        if (key) mapTargets.set(key, map);
        maps.push(map);
        break;
      }
      case 'types': {
        const rules = lowerTypes(statement, report);
        if (rules) typeRules.push(rules);
        break;
      }
      case 'merge': {
        const first = mergeNames.get(statement.name.text);
        if (first) {
          report.error(LANGUAGE.duplicateMerge, `a merge named '${statement.name.text}' already exists`, statement.name.span, 'give each merge its own name', [{ message: 'first merge with this name', span: first }]);
          break;
        }
        mergeNames.set(statement.name.text, statement.name.span);
        const merge = lowerMerge(statement, entries, report);
        if (merge) merges.push(merge);
        break;
      }
      case 'import': case 'migration': case 'endpoint':
        break;
      default:
        return assertNever(statement);
    }
  }

  return { value: { files: files.map((f) => f.file), migration, endpoints, maps, typeRules, merges }, diagnostics: report.diagnostics };
}

function lowerMigration(ast: MigrationAst | undefined, mainFile: string, report: Report): MigrationIR {
  const settings = readSettings(
    ast?.settings ?? [],
    {
      mode: { kind: 'enum', values: MODES },
      workers: { kind: 'integer', min: 1 },
      validate: { kind: 'enum', values: ['none', 'counts', 'checksums'] },
      max_rejects: { kind: 'integer', min: 0 },
      on_error: { kind: 'enum', values: ['stop', 'continue'] },
    },
    'the migration block',
    report,
  );
  return {
    name: ast?.name?.text ?? path.basename(mainFile).replace(/\.[^.]*$/, ''),
    mode: settings.enumValue<MigrationMode>('mode', 'full_load'),
    workers: settings.integer('workers') ?? 4,
    validate: settings.enumValue<ValidationLevel>('validate', 'counts'),
    maxRejects: settings.integer('max_rejects'),
    onError: settings.enumValue<ErrorPolicy>('on_error', 'stop'),
    span: ast?.span,
  };
}

/** Engines whose changes can be followed (modes cdc and full_load_and_cdc), and targets that can apply them. */
const CAPTURE_SOURCES: readonly EngineName[] = ['postgres', 'mysql'];
const CAPTURE_TARGETS: readonly EngineName[] = ['postgres', 'mysql'];

function refuseUncapturableSources(migration: MigrationIR, ast: MigrationAst | undefined, endpoints: readonly EndpointIR[], report: Report): void {
  if (migration.mode === 'full_load') return;
  const span = ast?.settings.find((s) => s.name.text === 'mode')?.value.span ?? migration.span;
  for (const e of endpoints) {
    const supported = e.role === 'source' ? CAPTURE_SOURCES : CAPTURE_TARGETS;
    if (supported.includes(e.engine)) continue;
    const what = e.role === 'source' ? `changes of ${e.engine} source ${e.name} cannot be captured` : `${e.engine} target ${e.name} cannot apply captured changes`;
    report.error(LANGUAGE.notExecutableYet, `mode = ${migration.mode} is not executable for this plan: ${what} (change data capture works from ${CAPTURE_SOURCES.join(' and ')} sources into ${CAPTURE_TARGETS.join(' and ')} targets)`, span, 'use mode = full_load and run the plan again to refresh the target');
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
