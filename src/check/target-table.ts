/**
 * The target table definition of one mapping: columns with defaults and identity carried where the
 * target can express them, keys and indexes renamed through the column mapping, foreign keys
 * resolved once every table's target name is known.
 */
import { error, warning, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { EngineModule, TargetColumnDef, TargetTableDef } from '../engines/contract.js';
import type { ColumnCatalog, DefaultValue, Deferrable, DomainCatalog, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, SequenceCatalog, TableCatalog } from '../schema/catalog.js';
import { isZeroDate } from '../types/values/datetime-text.js';
import type { ColumnMapping } from './checked-plan.js';
import { fitIdentifier } from './naming.js';
import { carryLiteralDefault } from '../types/default-literal.js';
import { describeColumnScope, quoteTypeName } from '../types/rule-text.js';
import type { TargetValueLimits } from '../types/value-limits.js';

export interface TargetTableInput {
  readonly table: TableCatalog;
  readonly columns: readonly ColumnMapping[];
  readonly renamed: ReadonlyMap<string, string>;
  readonly source: EngineModule;
  readonly target: EngineModule;
  readonly schema: string | undefined;
  readonly name: string;
  readonly naming: (name: string) => string;
  readonly span: Span | undefined;
  /**
   * The plan follows changes after the load: their upserts name the primary key as the conflict
   * target (ON CONFLICT), which PostgreSQL refuses for a deferrable key.
   */
  readonly followsChanges?: boolean;
  /** The collations the target has, when its catalog lists them: a column keeps its own only if the target has it. */
  readonly targetCollations?: ReadonlySet<string>;
  /** The target server's version, when known (NULLS NOT DISTINCT needs PostgreSQL 15). */
  readonly targetVersion?: string;
  /** The types the target database has, when its catalog lists them: an extension's type must be there. */
  readonly targetTypes?: ReadonlySet<string>;
  /** Generated columns the target computes itself (MappedColumns.generated): created, never written. */
  readonly generated?: readonly { readonly column: ColumnCatalog; readonly type: NativeType }[];
  /** MappedColumns.namesKept: the source's SQL about the table's columns reads the same on the target. */
  readonly namesKept?: boolean;
  /** The source's and the target's functions outside pg_catalog (name → extension): what carried SQL calls must exist. */
  readonly functions?: { readonly source: ReadonlyMap<string, string | undefined>; readonly target: ReadonlySet<string> };
  /** The target server's roles, when its catalog lists them: a policy made there names only roles it has. */
  readonly targetRoles?: ReadonlySet<string>;
}

/** Same SQL dialect on both sides: expressions, partial indexes and checks can be carried as text. */
export function sameDialect(a: EngineModule, b: EngineModule): boolean {
  return a.dialect === b.dialect; // PGlite shares PostgreSQL's dialect object
}

export function buildTargetTable(input: TargetTableInput, diagnostics: Diagnostic[]): TargetTableDef {
  const { table, renamed, source, target } = input;
  const same = sameDialect(source, target);
  const where = `${table.schema}.${table.name}`;
  const byTarget = new Map(table.columns.map((c) => [renamed.get(c.name), c]));
  const maxLength = target.capabilities.maxIdentifierLength;

  const sequences = new Map<string, SequenceCatalog>();
  const columns: TargetColumnDef[] = input.columns.map((m) => {
    const sourceColumn = m.source.kind === 'column' ? byTarget.get(m.target) : undefined;
    // A sequence of its own (not the column's serial) is created beside the table and the default
    // kept, where the target speaks the same dialect; elsewhere an identity stands for it.
    const shared = same && m.conversion === 'none' && sourceColumn?.default?.kind === 'sequence' ? sourceColumn.default.shared : undefined;
    if (shared) {
      sequences.set(`${shared.schema}.${shared.name}`, shared);
      return {
        name: m.target,
        type: m.targetType,
        nullable: sourceColumn!.nullable,
        default: sourceColumn!.default,
        identity: undefined,
        generated: undefined,
        onUpdateCurrentTimestamp: false,
        comment: sourceColumn!.comment,
      };
    }
    if (sourceColumn?.typeExtension !== undefined && same && input.targetTypes && m.targetType.text === sourceColumn.nativeType.text && !input.targetTypes.has(bareTypeName(m.targetType.name))) {
      diagnostics.push(
        error(
          'DMS3442',
          `${where}.${sourceColumn.name} is of type ${m.targetType.text}, which comes with the extension ${sourceColumn.typeExtension}: the target database does not have it`,
          input.span,
          `run CREATE EXTENSION ${sourceColumn.typeExtension}; in the target database, or map the column to a type it has, e.g. in a types block: column ${describeColumnScope(table.name, sourceColumn.name)}: ${quoteTypeName(sourceColumn.nativeType.name)} -> text`,
        ),
      );
    }
    // A type of the source's own making the target side does not recreate (a composite type, a
    // domain over an enum): it lands as its text form, which the plan lists but nothing else said.
    if (same && sourceColumn && sourceColumn.domain === undefined && sourceColumn.logical.kind === 'other' && m.targetLogical.kind === 'text' && m.rule.origin !== 'plan' && m.rule.origin !== 'override') {
      diagnostics.push(
        warning('DMS3445', `${where}.${sourceColumn.name} is of type ${sourceColumn.nativeType.text}, which is not recreated on ${target.name}: its values are written as their text form into ${m.targetType.text}`, input.span, `to keep the type, create it on the target and change the column by hand after the load (ALTER TABLE … ALTER COLUMN … TYPE ${sourceColumn.nativeType.text} USING …)`),
      );
    }
    if (sourceColumn?.logical.kind === 'set' && sourceColumn.logical.values.includes('') && m.source.kind === 'column') emptySetMember(`${where}.${sourceColumn.name}`, input, diagnostics);
    if (!same && sourceColumn !== undefined && m.targetLogical.kind === 'text') ignoredByCollation(sourceColumn, `${where}.${sourceColumn.name}`, input, diagnostics);
    if (sourceColumn?.identity && m.targetLogical.kind !== 'int') {
      diagnostics.push(
        warning('DMS3428', `${where}.${sourceColumn.name} is ${sourceColumn.identity.kind === 'auto_increment' ? 'auto-increment' : 'an identity'} but its target type ${m.targetType.text} cannot be: new rows on the target need explicit values`, input.span, `to keep it, map it to a 64-bit integer, e.g. \`types ${source.name} -> ${target.name} { ${sourceColumn.nativeType.name}${sourceColumn.nativeType.unsigned ? ' unsigned' : ''} auto_increment -> bigint lossy }\``),
      );
    }
    return {
      name: m.target,
      type: m.targetType,
      nullable: sourceColumn ? sourceColumn.nullable || zeroDatesBecomeNull(sourceColumn, m, `${where}.${sourceColumn.name}`, input, diagnostics) : true,
      default: sourceColumn ? carryDefault(sourceColumn.default, m, { same, limits: target.capabilities.valueLimits, mysql: source.name === 'mysql' }, `${where}.${sourceColumn.name}`, input.span, diagnostics) : undefined,
      // 'by_default' lets the copy insert the source's values; each dialect renders its own kind.
      // Only integer columns can carry one (a MySQL bigint unsigned lands in numeric(20,0)).
      // GENERATED ALWAYS stays so between PostgreSQL engines — COPY writes the given values even into
      // an ALWAYS column — unless changes are followed: their upserts are INSERTs, which it refuses.
      // SQLite: a rowid alias without AUTOINCREMENT is one by its declaration alone (INTEGER PRIMARY
      // KEY); kept verbatim it is one again, where an identity would be made AUTOINCREMENT, which
      // never reuses a freed largest value and keeps a sqlite_sequence row.
      identity: sourceColumn?.identity && m.targetLogical.kind === 'int' && !(same && m.keepsStoredValues === true && sourceColumn.identity.kind === 'by_default') ? (same && sourceColumn.identity.kind === 'always' && input.followsChanges !== true ? 'always' : 'by_default') : undefined,
      ...(sourceColumn?.identity?.next !== undefined && m.targetLogical.kind === 'int' ? { identityNext: sourceColumn.identity.next } : {}),
      generated: undefined,
      onUpdateCurrentTimestamp: sourceColumn?.onUpdateCurrentTimestamp ?? false,
      ...(same && sourceColumn?.invisible ? { invisible: true } : {}),
      comment: sourceColumn?.comment,
      // Sort order and equality (a nondeterministic ICU collation makes a unique key case-blind): kept
      // where the dialect and the type are the same, and the target has the collation.
      ...(same && target.capabilities.columnCollations && sourceColumn?.collation !== undefined && m.conversion === 'none' && m.targetType.text === sourceColumn.nativeType.text
        ? keptCollation(labelsApart(sourceColumn, sourceColumn.collation, `${where}.${sourceColumn.name}`, input, diagnostics), `${where}.${sourceColumn.name}`, input, diagnostics)
        : !same && m.targetLogical.kind === 'text'
          ? exactCollation(target, input.targetCollations)
          : {}),
      ...(sourceColumn?.domain ? keptDomain(sourceColumn.domain, sourceColumn.nativeType.text, m, same, `${where}.${sourceColumn.name}`, target.name, input.span, diagnostics) : {}),
    };
  });

  // Generated columns the target computes, in their place among the others (by source position).
  if (input.generated?.length) {
    const ordinal = (name: string, fallback: number) => table.columns.find((c) => renamed.get(c.name) === name)?.ordinal ?? fallback;
    const kept: TargetColumnDef[] = input.generated.map(({ column, type }) => ({ name: column.name, type, nullable: column.nullable, default: undefined, identity: undefined, generated: column.generated, onUpdateCurrentTimestamp: false, comment: column.comment }));
    const ordered = [...columns.map((c, i) => ({ c, at: ordinal(c.name, 1e9 + i) })), ...kept.map((c) => ({ c, at: ordinal(c.name, 1e9) }))].sort((a, b) => a.at - b.at);
    columns.splice(0, columns.length, ...ordered.map((o) => o.c));
  }

  keepOneIdentity(columns, table, input, diagnostics);

  // MySQL's INVISIBLE columns: left out of SELECT * and of an INSERT without a column list there.
  const invisible = same ? [] : table.columns.filter((c) => c.invisible && renamed.has(c.name)).map((c) => renamed.get(c.name)!);
  if (invisible.length) {
    diagnostics.push(
      warning('DMS3448', `${where}: ${invisible.join(', ')} ${invisible.length > 1 ? 'are' : 'is'} INVISIBLE on ${source.name} (left out of SELECT * and of an INSERT without a column list); on ${target.name} ${invisible.length > 1 ? 'they are' : 'it is an'} ordinary column${invisible.length > 1 ? 's' : ''}`, input.span, 'an application that inserts without naming columns must name them on the target, or leave the column out with `drop`'),
    );
  }

  // MySQL's ON UPDATE CURRENT_TIMESTAMP is a column property no other dialect has (a trigger does it).
  const touched = same ? [] : columns.filter((c) => c.onUpdateCurrentTimestamp).map((c) => c.name);
  if (touched.length) {
    diagnostics.push(
      warning('DMS3439', `${where}: ${touched.join(', ')} ${touched.length > 1 ? 'are' : 'is'} set to the current time by every UPDATE on ${source.name} (ON UPDATE CURRENT_TIMESTAMP); on ${target.name} ${touched.length > 1 ? 'they keep their' : 'it keeps its'} default but ${touched.length > 1 ? 'are' : 'is'} not updated automatically`, input.span, 'if the application relies on it, add an UPDATE trigger on the target'),
    );
  }

  const mapKey = (k: KeyCatalog, primary = false): KeyCatalog | undefined => {
    const cols = k.columns.map((c) => renamed.get(c));
    if (cols.some((c) => c === undefined)) return undefined;
    const upsertKey = primary && input.followsChanges === true;
    const supported = target.capabilities.deferrable === 'keys_and_foreign_keys' && !upsertKey;
    const because = upsertKey && target.capabilities.deferrable === 'keys_and_foreign_keys' ? `${target.name} checks it at once: change capture upserts by this key, and ON CONFLICT takes no deferrable key` : `${target.name} checks it at once`;
    const deferrable = keptDeferrable(k.deferrable, supported, `${where}: key ${k.name}`, because, input.span, diagnostics);
    // A primary key's name is the table's already (MySQL's PRIMARY becomes <table>_pkey).
    const name = primary ? input.naming(k.name) : scopedName(k.name, input.name, input.naming, widensScope(source, target, 'indexes'));
    return { name: fitIdentifier(name, maxLength), columns: cols as string[], ...deferrable, ...indexExtras(k, input, same, `${where}: key ${k.name}`, diagnostics) };
  };

  const primaryKey = table.primaryKey ? mapKey({ ...table.primaryKey, name: primaryKeyName(table.primaryKey.name, input.name) }, true) : undefined;
  const uniqueKeys = table.uniqueKeys.flatMap((k) => {
    const mapped = mapKey(k);
    return mapped ? [mapped] : [];
  });
  const prefixOnly = prefixOnlyColumns(columns, table, renamed, target);
  const at = { table, target: target.name, span: input.span };
  for (const key of [...(primaryKey ? [primaryKey] : []), ...uniqueKeys]) refusePrefixKey(`key ${key.name}`, key.columns, prefixOnly, at, diagnostics);
  const indexes = table.indexes.flatMap((ix) => {
    const mapped = mapIndex(ix, input, same, maxLength, diagnostics);
    if (!mapped) {
      diagnostics.push(warning('DMS3407', `${where}: index ${ix.name} is not reproduced on ${target.name} (${describeIndexProblem(ix, same, target)})`, input.span));
      return [];
    }
    return [prefixedIndex(mapped, prefixOnly, at, diagnostics)];
  });
  if (table.systemVersioned) {
    diagnostics.push(
      warning('DMS3449', `${where} is system-versioned on the source (WITH SYSTEM VERSIONING): its current rows are copied, not its history, and on ${target.name} the table is not versioned`, input.span, same ? 'to keep versioning from here on, ALTER TABLE … ADD SYSTEM VERSIONING on the target after apply' : undefined),
    );
  }
  if (table.nonTransactionalEngine !== undefined) {
    diagnostics.push(
      warning(
        'DMS3456',
        `${where} uses the ${table.nonTransactionalEngine} storage engine on the source, which takes no part in transactions: no snapshot covers it, so each chunk reads it as it is then, and rows written during the load can leave it out of step with the other tables (and with its validation)${same ? `; on ${target.name} it is created with the server's default engine` : ''}`,
        input.span,
        'keep writers off it while the load runs (a read-only replica, or FLUSH TABLES … WITH READ LOCK in a session held open), or make it InnoDB on the source first (ALTER TABLE … ENGINE=InnoDB)',
      ),
    );
  }
  if (table.rowSecurity?.hidesRows) {
    const { policies } = table.rowSecurity;
    diagnostics.push(
      error(
        'DMS3452',
        `${where}: the source user reads it through row-level security${policies.length ? ` (${policies.length === 1 ? 'policy' : 'policies'} ${policies.join(', ')})` : ''}, so the rows its policies hide would be left out — and its counts and checksums would not see them missing`,
        input.span,
        'read the source as the table\'s owner, a superuser or a role with BYPASSRLS (ALTER ROLE … BYPASSRLS), or leave the table out of the map',
      ),
    );
  }
  const rowSecurity = keptRowSecurity(input);
  if (table.rowSecurity && rowSecurity === undefined) {
    const { enabled, policies } = table.rowSecurity;
    const missingRoles = [...new Set((table.rowSecurity.definitions ?? []).flatMap((p) => p.roles))].filter((r) => input.targetRoles !== undefined && !input.targetRoles.has(r));
    const why = !same ? '' : !input.namesKept ? ' (a column is renamed or dropped, and the policies name columns)' : missingRoles.length ? ` (${target.name} has no role ${missingRoles.join(', ')})` : '';
    diagnostics.push(
      warning(
        'DMS3444',
        `${where} has ${enabled ? 'row-level security enabled' : 'row-level security policies'} on the source${policies.length ? ` (${policies.length === 1 ? 'policy' : 'policies'} ${policies.join(', ')})` : ''}; on ${target.name} the table is created without ${enabled ? 'it — every user who can read the table reads every row' : 'them'}${why}`,
        input.span,
        same ? (missingRoles.length ? `create the roles on the target (CREATE ROLE ${missingRoles.join(', ')}) and plan again` : 'recreate the policies (CREATE POLICY …) and ALTER TABLE … ENABLE ROW LEVEL SECURITY on the target before others use it') : undefined,
      ),
    );
  }
  for (const exclusion of table.exclusions ?? []) {
    diagnostics.push(
      warning('DMS3443', `${where}: exclusion constraint ${exclusion.name} (${exclusion.expression}) is not created on ${target.name}`, input.span, same ? `add it by hand once the load is done: ALTER TABLE … ADD CONSTRAINT ${exclusion.name} ${exclusion.expression}` : undefined),
    );
  }
  const checks = same ? table.checks : [];
  for (const check of same ? [] : table.checks) {
    diagnostics.push(warning('DMS3407', `${where}: check constraint ${check.name} is in ${source.name} SQL and is not created on ${target.name}`, input.span));
  }

  refuseMissingFunctions(columns, checks, indexes, input, where, diagnostics);
  // UNLOGGED trades durability for write speed: made logged elsewhere without a word, a table meant
  // to be thrown away after a crash became a durable (and replicated) one.
  if (table.unlogged && !same) {
    diagnostics.push(warning('DMS3480', `${where} is UNLOGGED on ${source.name}; ${target.name} has no unlogged tables, so it is an ordinary table there (written durably, kept after a crash)`, input.span));
  }

  return {
    schema: input.schema,
    name: input.name,
    columns,
    primaryKey,
    uniqueKeys,
    indexes,
    foreignKeys: [],
    checks,
    comment: table.comment,
    ...(sequences.size ? { sequences: [...sequences.values()] } : {}),
    // Partitioning names columns: kept where they read the same (MappedColumns.namesKept).
    ...(input.namesKept && table.partitionClause ? { partitionBy: table.partitionClause, ...keptPartitions(table, input.name) } : {}),
    ...(rowSecurity ? { rowSecurity } : {}),
    ...(table.unlogged && same ? { unlogged: true as const } : {}),
    ...keptTableOptions(table, input.columns, primaryKey !== undefined),
  };
}

/**
 * SQLite's table options, between SQLite databases where every column keeps its declaration (a
 * STRICT table takes only its own type names; WITHOUT ROWID needs the primary key).
 */
function keptTableOptions(table: TableCatalog, columns: readonly ColumnMapping[], hasPrimaryKey: boolean): { readonly tableOptions?: readonly string[] } {
  if (!table.tableOptions?.length || !columns.every((c) => c.keepsStoredValues === true)) return {};
  const options = table.tableOptions.filter((o) => o !== 'WITHOUT ROWID' || hasPrimaryKey);
  return options.length ? { tableOptions: options } : {};
}

/**
 * A NOT NULL column whose default is MySQL's zero date holds zero dates by design (rows inserted
 * without it), and zero_dates_to_null writes them as NULL: the target column takes NULL then, as
 * pgloader's default cast does, instead of refusing every such row (DMS3441). Without that default
 * the column stays NOT NULL, and a stray zero date is a rejected row.
 */
function zeroDatesBecomeNull(column: ColumnCatalog, m: ColumnMapping, what: string, input: TargetTableInput, diagnostics: Diagnostic[]): boolean {
  if (m.conversion !== 'zero_dates_to_null' || column.default?.kind !== 'literal' || !isZeroDate(column.default.text)) return false;
  diagnostics.push(
    warning('DMS3441', `${what} is NOT NULL with the zero date as its default on ${input.source.name}; zero_dates_to_null writes zero dates as NULL, so on ${input.target.name} the column allows NULL`, input.span, 'to keep NOT NULL, map the column with a rule that keeps zero dates elsewhere (e.g. as text), or clean the zero dates on the source'),
  );
  return true;
}

/**
 * SQL carried as it is between PostgreSQL engines — defaults, generated columns, checks, domains,
 * index expressions — may call a function of the source database or of one of its extensions
 * (`uuid_generate_v4()` of uuid-ossp): the target must have it, or CREATE TABLE fails half way
 * through the apply. Refused at plan time instead (DMS3447), naming the extension to create.
 */
function refuseMissingFunctions(columns: readonly TargetColumnDef[], checks: readonly { readonly expression: string }[], indexes: readonly IndexCatalog[], input: TargetTableInput, where: string, diagnostics: Diagnostic[]): void {
  const functions = input.functions;
  if (!functions) return;
  const sql = [
    ...columns.flatMap((c) => [c.default?.kind === 'expression' ? c.default.sql : '', c.generated?.expression ?? '', ...(c.domain ? [c.domain.default ?? '', ...c.domain.checks.map((k) => k.expression)] : [])]),
    ...checks.map((c) => c.expression),
    ...indexes.flatMap((ix) => [ix.where ?? '', ...ix.parts.map((p) => p.expression ?? '')]),
  ].join('\n');
  const missing = new Set<string>();
  for (const opclass of indexes.flatMap((ix) => ix.parts.flatMap((p) => (p.opclass ? [p.opclass] : [])))) {
    if (functions.source.has(opclass) && !functions.target.has(opclass)) missing.add(opclass);
  }
  for (const m of sql.matchAll(/(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*\(/g)) {
    const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase();
    if (functions.source.has(name) && !functions.target.has(name)) missing.add(name);
  }
  for (const name of missing) {
    const extension = functions.source.get(name);
    diagnostics.push(
      error(
        'DMS3447',
        `${where} uses ${name}${/_ops$/.test(name) ? ' (an operator class)' : '()'} in a default, check or index, which ${extension ? `the extension ${extension} brings on the source` : 'the source database defines'}; the target database does not have it`,
        input.span,
        extension ? `run CREATE EXTENSION "${extension}"; in the target database, then plan again` : `create the function on the target first (its definition: \\sf ${name} in psql on the source), then plan again`,
      ),
    );
  }
}

/** A type's name without its schema or quotes, as pg_type names it. */
function bareTypeName(name: string): string {
  return (name.split('.').pop() ?? name).replace(/^"|"$/g, '');
}

/** Text from another dialect compares exactly on the target too, where its default would not (MySQL's PAD SPACE). */
function exactCollation(target: EngineModule, targetCollations: ReadonlySet<string> | undefined): { readonly collation?: string } {
  const collation = target.capabilities.exactTextCollations?.find((c) => targetCollations?.has(c));
  return collation === undefined ? {} : { collation };
}

/**
 * MySQL refuses in strict mode — as dmsplan's sessions are — an ENUM or SET whose labels are equal
 * under the column's collation ('B' and 'b' under a _ci one), which a table created without strict
 * mode has. Such a column gets its character set's binary collation on the target: the labels stay
 * apart and each value keeps its own, where CREATE TABLE failed at apply. (Case and accents are
 * folded for every _ci collation but an accent-sensitive one; rarer equalities, ß = ss, are missed
 * and fail as before.)
 */
function labelsApart(column: ColumnCatalog, collation: string, what: string, input: TargetTableInput, diagnostics: Diagnostic[]): string {
  const logical = column.logical;
  if ((logical.kind !== 'enum' && logical.kind !== 'set') || !/_ci$/.test(collation)) return collation;
  const accents = /_as_ci$/.test(collation);
  const fold = (label: string) => (accents ? label : label.normalize('NFD').replace(/\p{M}/gu, '')).toLowerCase().replace(/ +$/, '');
  const seen = new Map<string, string>();
  let meeting: readonly [string, string] | undefined;
  for (const label of logical.values) {
    const other = seen.get(fold(label));
    if (other !== undefined) {
      meeting = [other, label];
      break;
    }
    seen.set(fold(label), label);
  }
  if (!meeting) return collation;
  const binary = `${column.charset ?? collation.slice(0, collation.indexOf('_'))}_bin`;
  diagnostics.push(
    warning(
      'DMS3457',
      `${what} has the labels '${meeting[0]}' and '${meeting[1]}', which are equal under its collation "${collation}" (${input.target.name} refuses such a column in strict mode): on ${input.target.name} the column gets "${binary}", which keeps them apart, and compares case-sensitively`,
      input.span,
      'to compare the column ignoring case on the target, rename one of the labels on the source first',
    ),
  );
  return binary;
}

/**
 * A SET with '' among its members: MySQL writes a set as its members joined by commas, so the set
 * holding '' and 'x' reads 'x', the same as the set holding 'x' alone, and the copy (and its
 * checksum, which reads the same text) lost the member without a word.
 */
function emptySetMember(column: string, input: TargetTableInput, diagnostics: Diagnostic[]): void {
  diagnostics.push(
    warning(
      'DMS3481',
      `${column} is a SET with the empty string '' among its members: ${input.source.name} reads a set holding it the same as the set without it (both '' and 'x' read 'x'), so on ${input.target.name} such rows hold the other members only`,
      input.span,
      "the rows holding it are those where `column & N` is not 0, N being the bit of '' (1 when it is the first member): decide on the source what they should hold before the load (MySQL loses the member also when it copies or alters the table itself)",
    ),
  );
}

/**
 * A collation declared on the source column that makes values equal which the target's exact
 * comparison keeps apart (SQLite NOCASE into PostgreSQL): a unique key no longer refuses 'a' beside
 * 'A', and lookups by equality find fewer rows. Said in the plan (DMS3437), rather than silently.
 */
function ignoredByCollation(sourceColumn: ColumnCatalog, column: string, input: TargetTableInput, diagnostics: Diagnostic[]): void {
  const collation = sourceColumn.collation;
  const ignores = collation === undefined ? undefined : input.source.types.collationIgnores?.(collation);
  if (ignores === undefined) return;
  const t = input.table;
  const keys = [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniqueKeys, ...t.indexes.filter((ix) => ix.unique && ix.parts.every((p) => p.column !== undefined)).map((ix) => ({ name: ix.name, columns: ix.parts.map((p) => p.column!) }))]
    .filter((k) => k.columns.includes(sourceColumn.name))
    .map((k) => k.name);
  diagnostics.push(
    warning(
      'DMS3437',
      `${column} has collation ${collation}, which compares ignoring ${ignores}; ${input.target.name} has no such collation, so there the column compares exact values${keys.length ? ` (its unique key ${keys.join(', ')} then takes values that differ only in ${ignores}, which the source refuses)` : ''}`,
      input.span,
      'if comparisons must ignore it on the target too, give the column such a collation after apply (PostgreSQL: a nondeterministic ICU collation), or index an expression (e.g. lower(column))',
    ),
  );
}

function keptCollation(collation: string, column: string, input: TargetTableInput, diagnostics: Diagnostic[]): { readonly collation?: string } {
  if (!input.targetCollations || input.targetCollations.has(collation)) return { collation };
  const closest = input.target.types.closestCollation?.(collation, input.targetCollations);
  if (closest !== undefined) {
    diagnostics.push(
      warning('DMS3437', `${column} has collation "${collation}", which the ${input.target.name} target does not have: the column gets "${closest}", the target's nearest`, input.span, `to choose another, change the column's collation on the target after apply`),
    );
    return { collation: closest };
  }
  diagnostics.push(
    warning(
      'DMS3437',
      `${column} has collation "${collation}", which the ${input.target.name} target does not have: the column gets the target's default collation`,
      input.span,
      input.target.name !== 'mysql'
        ? `to keep it, create the collation on the target (CREATE COLLATION) and plan again`
        : `the target server has no collation of that name (MySQL 8's utf8mb4_0900_* are not in MariaDB before 11.4); if the column's comparisons must stay as they were, change its collation on the target after apply`,
    ),
  );
  return {};
}

/** Characters (bytes, for a BLOB) of a prefix-only column that an index covers: 191 × 4 bytes of utf8mb4 fit InnoDB's oldest 767-byte limit. */
export const INDEX_PREFIX_LENGTH = 191;

/** Target columns the target indexes only by a prefix: their source and target type names, for the messages. */
/** Per target column on a prefix-only type: the source column it comes from (which a type rule names) and both types. */
export type PrefixOnlyColumns = ReadonlyMap<string, { readonly sourceColumn: string; readonly sourceType: string; readonly targetType: string }>;

export function prefixOnlyColumns(columns: readonly TargetColumnDef[], table: TableCatalog, renamed: ReadonlyMap<string, string>, target: EngineModule): PrefixOnlyColumns {
  const out = new Map<string, { sourceColumn: string; sourceType: string; targetType: string }>();
  for (const c of columns) {
    if (!target.types.indexedByPrefixOnly?.(c.type)) continue;
    const source = table.columns.find((s) => renamed.get(s.name) === c.name);
    out.set(c.name, { sourceColumn: source?.name ?? c.name, sourceType: source ? source.nativeType.name : c.type.name, targetType: c.type.text });
  }
  return out;
}

/**
 * A key compares whole values (and a foreign key needs an index on its columns): on a prefix-only
 * column neither can be created as it is (MySQL refuses `KEY (text_column)`), so the plan is refused.
 */
export function refusePrefixKey(
  what: string,
  columns: readonly string[],
  prefixOnly: PrefixOnlyColumns,
  at: { readonly table: TableCatalog; readonly target: string; readonly span: Span | undefined },
  diagnostics: Diagnostic[],
): void {
  for (const column of columns) {
    const types = prefixOnly.get(column);
    if (types === undefined) continue;
    diagnostics.push(
      error(
        'DMS3435',
        `${at.table.schema}.${at.table.name}: ${what} is on ${column}, a ${types.targetType} column, which ${at.target} indexes only by a prefix: it would compare prefixes, not values`,
        at.span,
        `bound the column with a type rule, e.g. in a types block: column ${describeColumnScope(at.table.name, types.sourceColumn)}: ${quoteTypeName(types.sourceType)} -> varchar(255) lossy`,
      ),
    );
  }
}

/** A plain index on a prefix-only column indexes its first INDEX_PREFIX_LENGTH characters; a unique one is refused like a key. */
function prefixedIndex(ix: IndexCatalog, prefixOnly: PrefixOnlyColumns, at: Parameters<typeof refusePrefixKey>[3], diagnostics: Diagnostic[]): IndexCatalog {
  // FULLTEXT and SPATIAL indexes take whole values: the prefix rule is the B-tree's.
  if (!['btree', 'hash', ''].includes(ix.method)) return ix;
  const columns = ix.parts.flatMap((p) => (p.column !== undefined && p.prefixLength === undefined && prefixOnly.has(p.column) ? [p.column] : []));
  if (columns.length === 0) return ix;
  if (ix.unique) {
    refusePrefixKey(`unique index ${ix.name}`, columns, prefixOnly, at, diagnostics);
    return ix;
  }
  diagnostics.push(
    warning('DMS3434', `${at.table.schema}.${at.table.name}: index ${ix.name} covers the first ${INDEX_PREFIX_LENGTH} characters of ${columns.join(', ')} (${at.target} indexes text and binary columns only by a prefix)`, at.span),
  );
  return { ...ix, parts: ix.parts.map((p) => (p.column !== undefined && columns.includes(p.column) ? { ...p, prefixLength: INDEX_PREFIX_LENGTH } : p)) };
}

/** MySQL names every primary key `PRIMARY`; elsewhere constraint names are schema-wide. */
function primaryKeyName(name: string, table: string): string {
  return name === 'PRIMARY' || name === '' ? `${table}_pkey` : name;
}

/** Index methods another engine can make: plain ones, and full-text ones where the target has them. */
function crossesEngines(ix: IndexCatalog, target: EngineModule): boolean {
  return ['btree', 'hash', ''].includes(ix.method) || (ix.method === 'fulltext' && target.capabilities.fullTextIndexes);
}

function mapIndex(ix: IndexCatalog, input: TargetTableInput, same: boolean, maxLength: number | undefined, diagnostics: Diagnostic[]): IndexCatalog | undefined {
  if (!same && !crossesEngines(ix, input.target)) return undefined;
  if (!same && ix.where !== undefined) return undefined;
  const keepsPrefixes = !same && wholeValuesMayOverflow(ix, input);
  const parts = [];
  for (const part of ix.parts) {
    if (part.column === undefined) {
      if (!same) return undefined;
      parts.push(part);
      continue;
    }
    const column = input.renamed.get(part.column);
    if (column === undefined) return undefined;
    if (!same && part.collation !== undefined) {
      diagnostics.push(
        warning('DMS3437', `${input.table.schema}.${input.table.name}: index ${ix.name} compares ${part.column} under the ${input.source.name} collation "${part.collation}", which ${input.target.name} does not have: there it compares exact values${ix.unique ? ' (a unique index then holds values that differ only as the collation ignores)' : ''}`, input.span, 'to keep the comparison, index an expression on the target after apply (e.g. lower(column))'),
      );
    }
    // A prefix index (MySQL) indexes the first n characters; elsewhere the whole value is indexed,
    // unless whole values may not fit in an index entry there (below).
    parts.push({ column, descending: part.descending, ...(part.prefixLength !== undefined && (same || keepsPrefixes) ? { prefixLength: part.prefixLength } : {}), ...(same && part.opclass !== undefined ? { opclass: part.opclass } : {}), ...(same && part.collation !== undefined ? { collation: part.collation } : {}) });
  }
  return {
    name: fitIdentifier(scopedName(ix.name, input.name, input.naming, widensScope(input.source, input.target, 'indexes')), maxLength),
    unique: ix.unique,
    parts,
    where: same ? ix.where : undefined,
    method: same || ix.method === 'fulltext' ? ix.method : 'btree',
    ...indexExtras(ix, input, same, `${input.table.schema}.${input.table.name}: index ${ix.name}`, diagnostics),
  };
}

/**
 * Whether a B-tree index over the whole values of a MySQL prefix index's columns may get an entry
 * longer than the target takes (PostgreSQL: 2704 bytes): CREATE INDEX would then fail on the first
 * long value, after the load. Text counts 4 bytes a character (UTF-8); unbounded text or binary, any
 * length. Such an index indexes the prefixes on the target too (`substr(col, 1, n)`).
 */
function wholeValuesMayOverflow(ix: IndexCatalog, input: TargetTableInput): boolean {
  const limit = input.target.capabilities.maxIndexEntryBytes;
  if (limit === undefined || ix.method === 'fulltext' || !ix.parts.some((p) => p.prefixLength !== undefined)) return false;
  let bytes = 0;
  for (const part of ix.parts) {
    const logical = input.columns.find((c) => c.source.kind === 'column' && c.source.name === part.column)?.targetLogical;
    if (logical?.kind === 'text') bytes += logical.length === undefined ? Infinity : logical.length * 4;
    else if (logical?.kind === 'binary') bytes += logical.length ?? Infinity;
    else bytes += 16;
  }
  return bytes > limit;
}

/**
 * PostgreSQL's INCLUDE columns and NULLS NOT DISTINCT of a key or index, where the target is
 * PostgreSQL too. INCLUDE only makes the index cover more columns, so it is left out elsewhere
 * without a word (and without the columns the plan does not migrate); NULLS NOT DISTINCT changes
 * what the key accepts, so losing it — on another engine, or a PostgreSQL before 15 — is a warning.
 */
function indexExtras(
  ix: { readonly include?: readonly string[]; readonly nullsNotDistinct?: boolean },
  input: TargetTableInput,
  same: boolean,
  what: string,
  diagnostics: Diagnostic[],
): { readonly include?: readonly string[]; readonly nullsNotDistinct?: boolean } {
  const include = same ? (ix.include ?? []).flatMap((c) => input.renamed.get(c) ?? []) : [];
  const major = input.targetVersion === undefined ? undefined : Number.parseInt(input.targetVersion, 10);
  const keepsNulls = same && (major === undefined || Number.isNaN(major) || major >= 15);
  if (ix.nullsNotDistinct && !keepsNulls) {
    diagnostics.push(warning('DMS3440', `${what} is UNIQUE NULLS NOT DISTINCT (at most one row with NULLs); on ${input.target.name}${same ? ` ${input.targetVersion ?? ''}`.trimEnd() : ''} NULLs stay distinct, so several rows may have them`, input.span));
  }
  return { ...(include.length ? { include } : {}), ...(ix.nullsNotDistinct && keepsNulls ? { nullsNotDistinct: true } : {}) };
}

/**
 * Whether names of this kind are unique per table on the source but must be unique per schema on
 * the target (MySQL index names into PostgreSQL or SQLite; PostgreSQL foreign key names into MySQL):
 * two tables' `idx_email` would then meet.
 */
export function widensScope(source: EngineModule, target: EngineModule, kind: keyof EngineModule['capabilities']['nameScopes']): boolean {
  return source.capabilities.nameScopes[kind] === 'table' && target.capabilities.nameScopes[kind] === 'schema';
}

/**
 * A key's, index's or foreign key's name on the target: the source's, through the plan's naming,
 * prefixed with the target table's name where the scope widens (unless it starts with it already),
 * so that the same source always gives the same name. Names that still meet are made distinct
 * plan-wide afterwards (distinct-names.ts).
 */
function scopedName(name: string, table: string, naming: (n: string) => string, prefix: boolean): string {
  const n = naming(name);
  return !prefix || n.toLowerCase().startsWith(table.toLowerCase()) ? n : `${table}_${n}`;
}

function describeIndexProblem(ix: IndexCatalog, same: boolean, target: EngineModule): string {
  if (!same && !crossesEngines(ix, target)) return `${ix.method} index`;
  if (!same && ix.where !== undefined) return 'partial index in another SQL dialect';
  if (ix.parts.some((p) => p.column === undefined)) return 'expression index in another SQL dialect';
  return 'a column of it is not migrated';
}

/** A call of one of MariaDB's sequence functions (NEXT VALUE FOR prints as nextval(`db`.`seq`)). */
const MARIADB_SEQUENCE_CALL = /\b(?:nextval|lastval|setval)\s*\(/i;

function carryDefault(
  value: DefaultValue | undefined,
  mapping: ColumnMapping,
  target: { readonly same: boolean; readonly limits: TargetValueLimits | undefined; readonly mysql?: boolean },
  where: string,
  span: Span | undefined,
  diagnostics: Diagnostic[],
): DefaultValue | undefined {
  if (!value) return undefined;
  const { same } = target;
  switch (value.kind) {
    case 'literal': {
      if (same && mapping.conversion === 'none') return value;
      // Another type or dialect: the literal goes through the column's conversion, as its rows do.
      const carried = carryLiteralDefault(value.text, mapping.source.logical, mapping.targetLogical, mapping.conversion, target.limits);
      if ('text' in carried) return { kind: 'literal', text: carried.text };
      diagnostics.push(warning('DMS3408', `${where}: default ${JSON.stringify(value.text)} is not carried to the target (${carried.dropped})`, span));
      return undefined;
    }
    case 'current_timestamp':
    case 'current_date':
      return value;
    case 'sequence':
      return undefined; // identity / auto-increment takes its place
    case 'expression':
      // MariaDB's DEFAULT NEXTVAL(seq) names the source database's sequence (`shop`.`seq`), which the
      // plan does not create: carried, the target's inserts would draw from the source's sequence, or
      // fail where there is none.
      if (same && target.mysql && MARIADB_SEQUENCE_CALL.test(value.sql)) {
        diagnostics.push(
          warning('DMS3408', `${where}: default \`${value.sql}\` draws from a sequence of the source database, which is not created on the target: it is not carried`, span, 'create the sequence on the target (CREATE SEQUENCE … START WITH the source\'s next value) and set the default after apply (ALTER TABLE … ALTER COLUMN … SET DEFAULT NEXTVAL(…))'),
        );
        return undefined;
      }
      if (same) return value;
      diagnostics.push(warning('DMS3408', `${where}: default \`${value.sql}\` is not carried to the target`, span));
      return undefined;
    default: {
      const never: never = value;
      return never;
    }
  }
}

/**
 * A column's domain, on a target of the same dialect where the column keeps its type unchanged and
 * unmasked (the domain's checks were written for that type and its values); otherwise a warning
 * (DMS3432) and the bare base type.
 */
function keptDomain(domain: DomainCatalog, baseType: string, m: ColumnMapping, same: boolean, what: string, target: string, span: Span | undefined, diagnostics: Diagnostic[]): { domain?: DomainCatalog } {
  if (same && !domain.listedOnly && m.conversion === 'none' && m.mask === undefined && m.targetType.text === baseType) return { domain };
  const rules = [...domain.checks.map((c) => `CHECK (${c.expression})`), ...(domain.notNull ? ['NOT NULL'] : []), ...(domain.default !== undefined ? [`DEFAULT ${domain.default}`] : [])];
  diagnostics.push(
    warning('DMS3432', `${what} is declared with domain ${domain.schema}.${domain.name} over ${baseType}; on ${target} it becomes ${m.targetType.text}${rules.length ? `, without the domain's ${rules.join(', ')}` : ''}`, span, 'recreate the constraints on the target by hand if the application relies on them'),
  );
  return {};
}

/**
 * A PostgreSQL table may have several identity or serial columns, anywhere. MySQL takes one
 * AUTO_INCREMENT column a table (and refused the CREATE TABLE, error 1075, halfway through apply):
 * the primary key's, else the first, keeps it. SQLite generates values only in the column that is
 * the whole primary key (its DDL dropped the others without a word). The others become plain
 * columns, said by DMS3428.
 */
function keepOneIdentity(columns: TargetColumnDef[], table: TableCatalog, input: TargetTableInput, diagnostics: Diagnostic[]): void {
  const { oneIdentityPerTable, identityOnlyAsPrimaryKey } = input.target.capabilities;
  if (oneIdentityPerTable !== true && identityOnlyAsPrimaryKey !== true) return;
  const generating = columns.filter((c) => c.identity !== undefined);
  const primary = (table.primaryKey?.columns ?? []).map((c) => input.renamed.get(c));
  const kept = identityOnlyAsPrimaryKey === true ? (primary.length === 1 ? generating.find((c) => c.name === primary[0]) : undefined) : (generating.find((c) => primary.includes(c.name)) ?? generating[0]);
  const others = generating.filter((c) => c !== kept).map((c) => c.name);
  if (others.length === 0) return;
  for (const [i, c] of columns.entries()) if (c.identity !== undefined && c !== kept) columns[i] = { ...c, identity: undefined };
  const rule = identityOnlyAsPrimaryKey === true ? 'generates values only in a column that is the whole primary key' : 'has one AUTO_INCREMENT column a table';
  diagnostics.push(
    warning(
      'DMS3428',
      `${table.schema}.${table.name}: ${others.join(', ')} ${others.length > 1 ? 'generate their' : 'generates its'} values on ${input.source.name}${kept ? `, as ${kept.name} does` : ''}; ${input.target.name} ${rule}${kept ? `, ${kept.name}` : ''}, so there ${others.join(', ')} ${others.length > 1 ? 'are plain columns' : 'is a plain column'}: new rows need explicit values`,
      input.span,
      'give new rows their values on the target (a trigger or the application), or leave the column out with `drop`',
    ),
  );
}

/**
 * The DEFERRABLE of a constraint, where the target can declare it (`supported`); where it cannot, a
 * warning (DMS3431) and none: the target checks the constraint at once.
 */
export function keptDeferrable(deferrable: Deferrable | undefined, supported: boolean, what: string, because: string, span: Span | undefined, diagnostics: Diagnostic[]): { deferrable?: Deferrable } {
  if (deferrable === undefined) return {};
  if (supported) return { deferrable };
  diagnostics.push(warning('DMS3431', `${what} is DEFERRABLE on the source; ${because}`, span, 'an application that defers this check inside a transaction needs its statements ordered on this target'));
  return {};
}

/** Resolves a source foreign key against the target names of every migrated table. */
export function mapForeignKey(
  fk: ForeignKeyCatalog,
  renamed: ReadonlyMap<string, string>,
  referenced: { readonly schema: string | undefined; readonly name: string; readonly renamed: ReadonlyMap<string, string> } | undefined,
  naming: (name: string) => string,
  ends: { readonly source: EngineModule; readonly target: EngineModule; readonly table: string },
  report: { readonly what: string; readonly span: Span | undefined; readonly diagnostics: Diagnostic[] },
): ForeignKeyCatalog | undefined {
  const { target } = ends;
  if (!referenced) return undefined;
  const columns = fk.columns.map((c) => renamed.get(c));
  const refColumns = fk.referencedColumns.map((c) => referenced.renamed.get(c));
  if ([...columns, ...refColumns].some((c) => c === undefined)) return undefined;
  return {
    name: fitIdentifier(scopedName(fk.name, ends.table, naming, widensScope(ends.source, target, 'foreignKeys')), target.capabilities.maxIdentifierLength),
    columns: columns as string[],
    referencedSchema: referenced.schema ?? '',
    referencedTable: referenced.name,
    referencedColumns: refColumns as string[],
    ...keptActions(fk, target, report),
    ...keptDeferrable(fk.deferrable, target.capabilities.deferrable !== 'none', `${report.what}: foreign key ${fk.name}`, `${target.name} checks it at once`, report.span, report.diagnostics),
    ...keptMatchFull(fk, sameDialect(ends.source, target), target, report),
    ...keptDeleteColumns(fk, columns as string[], renamed, sameDialect(ends.source, target), target, report),
  };
}

/**
 * A foreign key's actions as the target keeps them: SET DEFAULT becomes NO ACTION where the target
 * does not enforce it (InnoDB refuses it), with a warning — the plan shows what the target will do.
 */
function keptActions(fk: ForeignKeyCatalog, target: EngineModule, report: { readonly what: string; readonly span: Span | undefined; readonly diagnostics: Diagnostic[] }): Pick<ForeignKeyCatalog, 'onDelete' | 'onUpdate'> {
  if (target.capabilities.foreignKeySetDefault !== false || (fk.onDelete !== 'set_default' && fk.onUpdate !== 'set_default')) return { onDelete: fk.onDelete, onUpdate: fk.onUpdate };
  const clauses = [fk.onDelete === 'set_default' ? 'ON DELETE' : undefined, fk.onUpdate === 'set_default' ? 'ON UPDATE' : undefined].filter((c) => c !== undefined).join(' and ');
  report.diagnostics.push(
    warning('DMS3440', `${report.what}: foreign key ${fk.name} is ${clauses} SET DEFAULT; ${target.name} does not enforce SET DEFAULT, so the key is made NO ACTION there (deleting or updating a referenced row that still has referencing rows is refused instead)`, report.span),
  );
  return { onDelete: fk.onDelete === 'set_default' ? 'no_action' : fk.onDelete, onUpdate: fk.onUpdate === 'set_default' ? 'no_action' : fk.onUpdate };
}

/**
 * `ON DELETE SET NULL (b)` sets only some of the referencing columns. PostgreSQL keeps the list; MySQL
 * and SQLite have no such form, and their SET NULL / SET DEFAULT sets every referencing column —
 * more than the source would: a warning.
 */
function keptDeleteColumns(
  fk: ForeignKeyCatalog,
  columns: readonly string[],
  renamed: ReadonlyMap<string, string>,
  same: boolean,
  target: EngineModule,
  report: { readonly what: string; readonly span: Span | undefined; readonly diagnostics: Diagnostic[] },
): { readonly onDeleteColumns?: readonly string[] } {
  if (fk.onDeleteColumns === undefined) return {};
  const kept = fk.onDeleteColumns.map((c) => renamed.get(c) ?? c);
  if (same) return { onDeleteColumns: kept };
  // The list names every referencing column: the plain action says the same.
  if (columns.every((c) => kept.includes(c))) return {};
  const action = fk.onDelete === 'set_default' ? 'SET DEFAULT' : 'SET NULL';
  report.diagnostics.push(
    warning('DMS3440', `${report.what}: foreign key ${fk.name} is ON DELETE ${action} (${kept.join(', ')}); ${target.name} has no column list there, so deleting a referenced row sets every one of (${columns.join(', ')})`, report.span),
  );
  return {};
}

/** MATCH FULL is enforced by PostgreSQL only (MySQL and SQLite parse it and ignore it): elsewhere a warning. */
function keptMatchFull(fk: ForeignKeyCatalog, same: boolean, target: EngineModule, report: { readonly what: string; readonly span: Span | undefined; readonly diagnostics: Diagnostic[] }): { readonly matchFull?: boolean } {
  if (!fk.matchFull) return {};
  if (same) return { matchFull: true };
  if (fk.columns.length > 1) {
    report.diagnostics.push(warning('DMS3440', `${report.what}: foreign key ${fk.name} is MATCH FULL (its columns are all NULL or none); ${target.name} does not enforce that, so a row with some of them NULL is accepted there`, report.span));
  }
  return {};
}

/** PostgreSQL partitions under the table, their top level attached to the table's target name. */
function keptPartitions(table: TableCatalog, targetName: string): Pick<TargetTableDef, 'partitions'> {
  if (!table.partitions?.length) return {};
  return { partitions: table.partitions.map((p) => ({ ...p, parent: p.parent === table.name ? targetName : p.parent })) };
}

/**
 * Row-level security made again on a target of the same dialect: on (and forced) as on the source,
 * with every policy as defined. Not where a column is renamed or dropped (the policies' expressions
 * name columns), nor where the target lacks a role a policy applies to.
 */
function keptRowSecurity(input: TargetTableInput): TargetTableDef['rowSecurity'] {
  const rowSecurity = input.table.rowSecurity;
  if (!rowSecurity || !sameDialect(input.source, input.target) || !input.namesKept) return undefined;
  const policies = rowSecurity.definitions ?? [];
  if (policies.length !== rowSecurity.policies.length) return undefined;
  if (input.targetRoles !== undefined && policies.some((p) => p.roles.some((r) => !input.targetRoles!.has(r)))) return undefined;
  return { enabled: rowSecurity.enabled, forced: rowSecurity.forced === true, policies };
}
