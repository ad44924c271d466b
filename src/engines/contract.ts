/**
 * The narrow contract every engine implements. `check` and `plan` see only the pure parts
 * (EngineModule.dialect and EngineModule.types); only `exec` opens connections. Each engine's
 * driver package is imported in exactly one file, `<engine>-driver.ts`, loaded lazily by `connect`.
 */
import type { EngineName, LiteralValue, ExprIR } from '../ir/ir.js';
import type { Catalog, DefaultValue, DomainCatalog, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, CheckCatalog, PolicyCatalog, RoutineCatalog, SequenceCatalog, TriggerCatalog, ViewDefinition } from '../schema/catalog.js';
import type { ByteRule } from '../types/byte-rules.js';
import type { LogicalType, Row, Value } from '../types/logical.js';
import type { TargetValueLimits } from '../types/value-limits.js';
import type { WireForm } from '../types/values/wire-values.js';

export type { WireForm } from '../types/values/wire-values.js';

// ───────────────────────────── pure parts ─────────────────────────────

/** Where an object's name must be unique: among its table's objects, or its schema's. */
export type NameScope = 'table' | 'schema';

export interface EngineCapabilities {
  /** Has schemas inside a database (PostgreSQL, SQL Server, Oracle users) — MySQL's databases count. */
  readonly schemas: boolean;
  readonly canBeSource: boolean;
  readonly canBeTarget: boolean;
  readonly transactionalDdl: boolean;
  readonly enumTypes: 'named' | 'inline' | 'none';
  readonly arrays: boolean;
  /** At most one column of a table generates its values (MySQL: one AUTO_INCREMENT column, error 1075). */
  readonly oneIdentityPerTable?: boolean;
  /** Only a column that is the whole primary key generates its values (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT). */
  readonly identityOnlyAsPrimaryKey?: boolean;
  /** Identifier length limit in bytes (PostgreSQL 63, MySQL 64, SQL Server 128, Oracle 128, SQLite none). */
  readonly maxIdentifierLength: number | undefined;
  /** How a consistent multi-connection read is obtained, for reports. */
  readonly snapshot: 'exported' | 'consistent_snapshot_txn' | 'single_connection' | 'none';
  /** Which constraints it can declare DEFERRABLE (PostgreSQL: keys and foreign keys; SQLite: foreign keys; MySQL: none). */
  readonly deferrable: 'keys_and_foreign_keys' | 'foreign_keys' | 'none';
  /**
   * False where a foreign key's ON DELETE / ON UPDATE SET DEFAULT is not enforced (MySQL's and
   * MariaDB's InnoDB reject it): such a key is made NO ACTION there, and the plan says so. Absent = kept.
   */
  readonly foreignKeySetDefault?: boolean;
  /** Whether a table may have no columns at all (PostgreSQL: yes, rows and all; MySQL and SQLite: no). */
  readonly tablesWithoutColumns: boolean;
  /**
   * Which names of a target the server compares ignoring case, so that `Foo` and `foo` would be one
   * table or one column there. PostgreSQL: neither (quoted names keep their case). SQLite: both.
   * MySQL: columns always; tables where `lower_case_table_names` is 1 or 2 (Windows, macOS), taken
   * as so everywhere, so that a plan means the same on every server.
   */
  readonly namesIgnoringCase: { readonly tables: boolean; readonly columns: boolean };
  /**
   * The case the engine stores a name written without quotes in (Oracle: upper, `customer` is
   * `CUSTOMER`; PostgreSQL: lower). A map from an upper-folding source into any other engine takes
   * `names = fold` by default (check/naming.ts). Absent: names are stored as written.
   */
  readonly unquotedNamesFold?: 'upper' | 'lower';
  /**
   * Whether a column keeps the collation it has on a source of the same dialect (PostgreSQL, MySQL:
   * a case-insensitive MySQL column stays so in a MySQL copy). SQLite's are not carried yet.
   */
  readonly columnCollations: boolean;
  /**
   * As a target: the collations, in order of preference, that compare text exactly — by code point,
   * trailing spaces significant — as PostgreSQL's and SQLite's do. A text column coming from another
   * dialect gets the first the target has, so values distinct on the source stay distinct under the
   * target's unique keys ('a' and 'a ' are one value under MySQL's PAD SPACE utf8mb4_bin).
   * Undefined: the target's default already compares exactly.
   */
  readonly exactTextCollations?: readonly string[];
  /**
   * As a source: whether a table is split into key ranges on a text, uuid, decimal, date or
   * timestamp key, not only an integer one. The split points and the range predicates are both the
   * server's, in its own ordering of the column (collation included), so the ranges meet end to end
   * (PostgreSQL, MySQL). SQLite: integers only — a column there may hold values of any type.
   */
  readonly orderedKeyRanges: boolean;
  /**
   * Where a name must be unique. Indexes (and the keys an index enforces): in the table (MySQL) or
   * in the schema, beside the tables themselves (PostgreSQL; SQLite's database). Foreign keys: in
   * the table (PostgreSQL, SQLite) or in the schema (MySQL/InnoDB). Names that are unique where they
   * come from but may meet in a wider scope are prefixed with their table's name.
   */
  readonly nameScopes: { readonly indexes: NameScope; readonly foreignKeys: NameScope };
  /**
   * Whether a full-text index over columns from another engine can be made: MySQL's FULLTEXT, or on
   * PostgreSQL a GIN index over `to_tsvector('simple', …)` of the columns. SQLite's are virtual
   * tables (FTS5), not indexes: no.
   */
  readonly fullTextIndexes: boolean;
  /**
   * As a target: the most bytes one B-tree index entry may take (PostgreSQL: 2704, a third of a
   * page); CREATE INDEX fails on the first longer value. A MySQL prefix index over columns that may
   * hold more then indexes the prefix, as the source does. Undefined: no such limit (SQLite).
   */
  readonly maxIndexEntryBytes?: number;
  /**
   * As a target: a transaction whose snapshot began before an ALTER of a table fails to read it
   * once the ALTER commits (MySQL: "Table definition has changed, please retry transaction"). The
   * plan then has the steps that read a loaded table — its validation, a foreign key's orphan
   * check — wait for that table's key, index and identity steps.
   */
  readonly ddlBreaksOpenSnapshots: boolean;
  /**
   * How a copy moves rows, decided per table at plan time (check/copy-path.ts) and shown in the plan.
   * `rawRowReads`: as a source, its snapshots hand over rows as the bytes of its own protocol
   * (`SourceSnapshot.rawText`: MySQL's text protocol). `rawRowWrites`: as a target, its connections
   * take such bytes into a bulk load without decoding them (`rawTextWriter`: PostgreSQL, COPY
   * binary). `bulkWriter`: how decoded rows are written, in words, for the plan.
   */
  readonly rawRowReads: boolean;
  /** Snapshots stream `COPY … TO` and connections take `COPY … FROM` in the binary format, passed through untouched between two such (PostgreSQL servers). */
  readonly binaryCopy: boolean;
  readonly rawRowWrites: boolean;
  readonly bulkWriter: string;
  /**
   * Values this engine cannot store as a target even where the column type suggests it can (NUL in
   * PostgreSQL text, MySQL date ranges…); converters reject them per row. Ready-made constants are in
   * src/types/value-limits.ts (POSTGRES_VALUE_LIMITS, MYSQL_VALUE_LIMITS, SQLITE_VALUE_LIMITS). Absent = none.
   */
  readonly valueLimits?: TargetValueLimits;
}

export interface EngineTypes {
  /** Parse a native type as written in a plan or printed by the engine ('int(10) unsigned', 'numeric(20,0)'). */
  parseNative(text: string): NativeType | undefined;
  /** The logical type of a native type (introspection also uses this). */
  toLogical(native: NativeType): LogicalType;
  /** The most faithful native type for a logical type; used when no type rule matched. */
  fromLogical(logical: LogicalType): NativeType;
  /**
   * Whether a column of this type can be indexed only by a prefix of its values (MySQL's TEXT and
   * BLOB types; optional, absent = any type indexes whole). A key on such a column would compare
   * prefixes, not values.
   */
  indexedByPrefixOnly?(native: NativeType): boolean;
  /**
   * As a target: the collation it has (one of `available`) that compares most like `collation`,
   * which it lacks — as strictly or more, never making distinct values equal; undefined for none.
   */
  closestCollation?(collation: string, available: ReadonlySet<string>): string | undefined;
  /**
   * As a source: what a column collation declared on purpose makes equal that exact comparison
   * keeps apart (SQLite NOCASE: 'ASCII case'), undefined for one that compares exact values. Into
   * another dialect the column compares exact values, which the plan says. MySQL leaves it out:
   * every MySQL column has a collation, most of them case-blind by the server's default, and
   * docs/type-mapping.md says what they become.
   */
  collationIgnores?(collation: string): string | undefined;
  /** Whether `name` is a type this engine knows (for plan diagnostics with did-you-mean). */
  knownTypeNames(): readonly string[];
  /**
   * As a source (optional): why no value of a column of this type can be read faithfully (SQL
   * Server's sql_variant, Oracle's object types and BFILE, a type this build does not know), or
   * undefined. Such a column is refused at plan (DMS3530) until the plan drops it; it is never
   * copied as something else, nor left out, silently. Absent = every type is read.
   */
  unreadable?(native: NativeType): string | undefined;
  /**
   * A declared type is free text that the engine keeps as written and derives its behaviour from
   * (SQLite: the affinity of the name): between two databases of this engine, a column no rule
   * matches keeps its source declaration verbatim (`INTEGER` stays `INTEGER`, so a rowid alias
   * stays one; no type stays no type; `ANY` stays `ANY`) instead of going through a logical type,
   * whose most faithful spelling is another name (`BIGINT`, `TEXT`, `DECIMAL_TEXT`).
   */
  readonly keepsDeclaredTypes?: boolean;
}

/** A column of a table to be created on the target. */
export interface TargetColumnDef {
  readonly name: string;
  readonly type: NativeType;
  readonly nullable: boolean;
  /** Already expressed for the target engine, or undefined. */
  readonly default: DefaultValue | undefined;
  readonly identity: 'always' | 'by_default' | 'auto_increment' | undefined;
  /** The value the source's counter would hand out next, when planned (ColumnCatalog.identity.next): the target's starts no lower. */
  readonly identityNext?: string;
  readonly generated: { readonly expression: string; readonly stored: boolean } | undefined;
  readonly onUpdateCurrentTimestamp: boolean;
  readonly comment: string | undefined;
  /** Declared with this domain (PostgreSQL to PostgreSQL, column type unchanged); `type` is its base type. */
  readonly domain?: DomainCatalog;
  /** A collation other than its type's default, kept from the source (same SQL dialect, type unchanged). */
  readonly collation?: string;
  /** MySQL `INVISIBLE`, kept between MySQL servers. */
  readonly invisible?: boolean;
}

/** A table too wide for its target engine (Dialect.tableWidthProblem). */
export interface TableWidthProblem {
  /** Refused whatever the server's settings; otherwise refused under the engine's default settings only. */
  readonly certain: boolean;
  /** What is too wide, as "… columns, more than the … a table can have". */
  readonly message: string;
}

export interface TargetTableDef {
  /** undefined on engines without schemas (SQLite). */
  readonly schema: string | undefined;
  readonly name: string;
  readonly columns: readonly TargetColumnDef[];
  readonly primaryKey: KeyCatalog | undefined;
  readonly uniqueKeys: readonly KeyCatalog[];
  readonly indexes: readonly IndexCatalog[];
  readonly foreignKeys: readonly ForeignKeyCatalog[];
  readonly checks: readonly CheckCatalog[];
  /**
   * The source's `PARTITION BY …` clause, kept between servers of one dialect when no column is
   * renamed or dropped (the clause names columns). MySQL: with its partitions' definitions.
   */
  readonly partitionBy?: string;
  /** PostgreSQL: the partitions to create under it, parents first, in the table's schema (TableCatalog.partitions). */
  readonly partitions?: readonly TargetPartitionDef[];
  /**
   * PostgreSQL: row-level security made again after the table is loaded and validated (the copy and
   * the validation must see every row): its policies, then ENABLE (and FORCE) ROW LEVEL SECURITY.
   */
  readonly rowSecurity?: { readonly enabled: boolean; readonly forced: boolean; readonly policies: readonly PolicyCatalog[] };
  /** SQLite: `WITHOUT ROWID`, `STRICT` (TableCatalog.tableOptions), kept when every column keeps its declaration. */
  readonly tableOptions?: readonly string[];
  /** PostgreSQL `UNLOGGED` (TableCatalog.unlogged), kept between PostgreSQL engines. */
  readonly unlogged?: true;
  readonly comment: string | undefined;
  /**
   * Sequences of their own that the columns' defaults draw from (PostgreSQL family): created in the
   * table's schema before it, and set to the source's value after its copy.
   */
  readonly sequences?: readonly SequenceCatalog[];
}

/** The table a key is added to; `partitioned`: created with `PARTITION BY` (TargetTableDef.partitionBy). */
export interface KeyedTable extends QualifiedName {
  readonly partitioned?: boolean;
}

export interface TargetPartitionDef {
  readonly name: string;
  /** The target table itself (by its target name), or a partition above this one. */
  readonly parent: string;
  readonly bound: string;
  readonly partitionBy?: string;
}

export interface QualifiedName {
  readonly schema: string | undefined;
  readonly name: string;
}

/** SQL generation for one engine. Pure: strings in, strings out. */
export interface Dialect {
  quoteIdent(name: string): string;
  qualify(name: QualifiedName): string;
  renderType(type: NativeType): string;
  /** A literal of the engine's SQL for a plan literal (filters, defaults). */
  renderLiteral(value: LiteralValue): string;
  /** `$1` or `?`: the placeholder for the i-th (1-based) parameter. */
  placeholder(index: number): string;
  /** Compile an engine-neutral filter to this engine's SQL; column names are source names. */
  compileFilter(expr: ExprIR): string;

  createSchema(schema: string): readonly string[];
  /** Statements creating named types a table needs (PostgreSQL enums) — idempotent. */
  createTypes(table: TargetTableDef): readonly string[];
  /** CREATE TABLE without secondary indexes and foreign keys (they come after the data). */
  createTable(table: TargetTableDef, options: { readonly withPrimaryKey: boolean }): readonly string[];
  dropTable(table: QualifiedName): readonly string[];
  /**
   * Optional: makes a view again from the definition a source of this dialect gave (`views =
   * recreate`). `replace`: over a view of that name already there (its columns may differ, so it is
   * dropped first, and views reading it with it, which the plan makes again after it).
   */
  createView?(view: QualifiedName, definition: ViewDefinition, replace: boolean): readonly string[];
  /**
   * Optional: where a view's query names the database of every table it reads (MySQL family), the
   * definition naming instead the target's, as `where(schema, name)` gives it for a table, view or
   * function the query names (undefined: as it is); `viewSchema`: where the view itself is made.
   * Without it a view is made only where what it reads stands under the source's schema names.
   */
  retargetView?(definition: ViewDefinition, where: (schema: string, name: string) => string | undefined, viewSchema: string | undefined): ViewDefinition;
  /**
   * Optional (PostgreSQL family): makes a function or procedure of a source of this dialect on the
   * target, in `schema` (its definition names the source's schema, written again with this one).
   * OR REPLACE: run again, or over the target's own of that signature, it replaces it.
   */
  createRoutine?(routine: RoutineCatalog, schema: string): readonly string[];
  /**
   * Optional (PostgreSQL family): makes a trigger of a source of this dialect on `table`, running
   * its function in `functionSchema`; one of that name on the table is dropped first.
   */
  createTrigger?(trigger: TriggerCatalog, table: QualifiedName, functionSchema: string): readonly string[];
  /** Optional (PostgreSQL family): fills a materialized view made WITH NO DATA by createView. */
  refreshMaterializedView?(view: QualifiedName): readonly string[];
  truncateTable(table: QualifiedName): readonly string[];
  /**
   * Empties several tables at once (a source TRUNCATE … CASCADE empties a table and those referring
   * to it together: one by one, PostgreSQL refuses the referenced table's TRUNCATE).
   */
  truncateTables(tables: readonly QualifiedName[]): readonly string[];
  /**
   * Optional (PostgreSQL family): a table's row-level security made again — its policies, each
   * where missing, then ENABLE (and FORCE) ROW LEVEL SECURITY. Run again, it changes nothing.
   */
  enableRowSecurity?(table: QualifiedName, rowSecurity: NonNullable<TargetTableDef['rowSecurity']>): readonly string[];
  /**
   * Index builds after the data. `sideBySide` (default 1) is how many builds of this table the
   * plan may run at once: an engine that also parallelizes one build gives each its share.
   */
  addPrimaryKey(table: KeyedTable, key: KeyCatalog, sideBySide?: number): readonly string[];
  createIndex(table: QualifiedName, index: IndexCatalog, sideBySide?: number): readonly string[];
  addUniqueKey(table: KeyedTable, key: KeyCatalog, sideBySide?: number): readonly string[];
  addForeignKey(table: QualifiedName, fk: ForeignKeyCatalog, referencedSchema: string | undefined): readonly string[];
  /**
   * Optional: adds the foreign key without the server checking the rows already there, where that
   * check costs far more than a query would (MySQL: with foreign_key_checks on, InnoDB copies the
   * whole table; off, the key is added in place). The plan then has apply move every row whose
   * parent is missing to the rejects table first (Step.orphansFirst), so the key holds all the same.
   */
  addForeignKeyUnchecked?(table: QualifiedName, fk: ForeignKeyCatalog, referencedSchema: string | undefined): readonly string[];
  /**
   * Optional: drops a foreign key of an existing table, so that a key whose actions the source
   * changed is made again. Engines that declare keys with the table only (SQLite) leave it out.
   */
  dropForeignKey?(table: QualifiedName, name: string): readonly string[];
  /**
   * Optional: why the engine cannot create a table of these columns for its width (too many
   * columns, rows too wide), found before any table is created. Engines without such limits leave it out.
   */
  tableWidthProblem?(columns: readonly TargetColumnDef[]): TableWidthProblem | undefined;
  /**
   * Optional: why the engine cannot take `name` as a schema, table, column, key or index name at any
   * length (MySQL: no character outside the BMP, no trailing space), found before anything is created.
   */
  identifierProblem?(name: string): string | undefined;
  /** Optional: why the engine would not keep `label` of an ENUM or SET column as it is (MySQL trims trailing spaces). */
  enumLabelProblem?(label: string): string | undefined;
  /**
   * Move identity/auto-increment/serial past the largest value in the column, and to `next` at
   * least (the source's counter, TargetColumnDef.identityNext): numbers the source handed out to
   * rows since deleted are not handed out again. `definition`: the table as this plan creates it
   * (SQLite keeps a counter only for an AUTOINCREMENT column, which it decides from the definition).
   */
  resetIdentity(table: QualifiedName, column: string, next?: string, definition?: TargetTableDef): readonly string[];
  /**
   * Move a sequence of the table's schema (TargetTableDef.sequences) past where the source's stood
   * when planned and past the largest value of `column`, never back: after the table's copy, and
   * again once changes stop being followed.
   */
  setSequence?(table: QualifiedName, column: string, sequence: SequenceCatalog): readonly string[];
  /**
   * Optional: a sequence no column draws from, made where missing (with the definition a source of
   * this dialect gave) and moved to where the source's stands, never back.
   */
  createSequence?(sequence: QualifiedName, source: SequenceCatalog): readonly string[];
  /** Where the control schema's tables live on this engine (`_dmsplan.<name>`, or `_dmsplan_<name>` without schemas). */
  controlTable(name: ControlTableName): QualifiedName;
  createControlSchema(): readonly string[];
}

export type ControlTableName = 'runs' | 'steps' | 'chunks' | 'rejects' | 'validations' | 'cdc_streams' | 'key_map';

export interface EngineModule {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  readonly types: EngineTypes;
  readonly dialect: Dialect;
  /** Opens a connection; loads the driver package on first use. Throws EngineError on failure. */
  connect(config: ConnectConfig): Promise<EngineConnection>;
  /** Change data capture as a source (optional): loads its driver on first use. */
  readonly cdc?: ChangeCaptureModule;
  /**
   * As a target (optional): a lock that lets one `apply` of a plan at a time run against it, held
   * by a connection of its own for the whole run and let go when that connection ends (also when
   * the process is killed). Both statements take one parameter, the plan's name: other plans into
   * the same database (a follower that runs for days, another pipeline's tables) go on beside it.
   * `acquire` must not wait: one row, column `acquired` truthy when taken. It runs in a
   * transaction kept open for the run; `release`, when given, runs before its commit.
   * PGlite has neither: one process at a time opens its directory (pglite-data-dir.ts). SQLite has claimRunLock.
   */
  readonly runLock?: { readonly acquire: string; readonly release?: string };
  /**
   * Instead of `runLock`, for a target that is a file of this machine (SQLite), where a lock held by
   * an open transaction would keep the run's own writes out: a lock file beside it, per plan, taken
   * at once or not at all, and released by `release` (a lock left by a killed process is taken
   * over). `heldBy`: another run holds it (its process, as shown to the user); undefined: nothing to
   * lock (a database in memory).
   */
  claimRunLock?(url: string, plan: string): { readonly release: () => void } | { readonly heldBy: string } | undefined;
}

// ───────────────────────────── effectful parts ─────────────────────────────

export interface ConnectConfig {
  /** The URL with its secret; never logged. Use `redactUrl` for anything shown. */
  readonly url: string;
  readonly session: readonly { readonly name: string; readonly value: string }[];
  readonly tls: { readonly mode: 'disable' | 'prefer' | 'require' | 'verify_ca' | 'verify_full'; readonly ca?: string; readonly cert?: string; readonly key?: string } | undefined;
  /** Connections this endpoint may open at once (copy lanes + control). */
  readonly poolSize: number;
  /** Application name shown in the server's session list. */
  readonly applicationName: string;
  /**
   * What the endpoint is in the plan, when the caller knows. File engines use it: a missing SQLite
   * source file is a connect error at once, a missing target file is created on the first write.
   */
  readonly role?: 'source' | 'target';
  /**
   * The caller only reads (`plan`, the stale check of a saved plan): an embedded target that does
   * not exist yet is read as the empty database it would be, and not created (PGlite initialised
   * a whole data directory for a `plan`, which must change nothing).
   */
  readonly readOnly?: true;
}

/**
 * The part of a refused row the target's error names. `columns` are target column names in the
 * order the database gives them (a key's or a CHECK's columns all count); empty when the error
 * names only a `constraint` (a CHECK, a unique index), whose columns the executor then asks the
 * target for (TargetTransaction.constraintColumns). Both empty/absent when the error names
 * neither (a trigger's own error, a deferred constraint, an exclusion constraint's detail).
 */
export interface Refusal {
  readonly columns: readonly string[];
  /** The constraint or index the error names, when it names one. */
  readonly constraint?: string;
}

/** What a failure looks like at the contract boundary. `message` never contains a password. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: 'connect' | 'auth' | 'query' | 'data' | 'transient' | 'unsupported',
    /** The database's own error code (SQLSTATE, MySQL errno, …) when there is one. */
    readonly dbCode: string | undefined,
    /** The endpoint, redacted, e.g. `postgres://app@db:5432/shop`. */
    readonly endpoint: string,
    /**
     * A data error of `writeRows`: the index, among the rows handed to that call, of the row the
     * target refused, when the engine can tell (PostgreSQL's COPY names its line). Careful mode
     * then sets that row aside at once instead of bisecting the batch to find it.
     */
    readonly refusedRow?: number,
    /**
     * A data error of a write: what the target blamed, as far as its error says (see Refusal).
     * Careful mode fills a rejected row's column and value from it.
     */
    readonly refusal?: Refusal,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface IntrospectScope {
  /** Schemas to read; undefined = all non-system schemas (MySQL: the URL's database, or all user databases when the URL has none). */
  readonly schemas: readonly string[] | undefined;
}

export interface ReadColumn {
  readonly name: string;
  readonly native: NativeType;
  readonly logical: LogicalType;
  /**
   * Read the values as the engine stores them, not in the canonical form of `logical`
   * (ColumnMapping.keepsStoredValues: only between databases of one engine, whose writer takes
   * them back with `asStored` too).
   */
  readonly asStored?: true;
}

export interface ReadRequest {
  readonly table: QualifiedName;
  readonly columns: readonly ReadColumn[];
  /** Source-dialect SQL for the WHERE clause (already compiled), or undefined. */
  readonly where: string | undefined;
  /**
   * Key-range chunk: lower bound exclusive, upper inclusive, compared on `column` (canonical text).
   * A range without a lower bound also takes the rows whose key is NULL, so that ranges which meet
   * end to end hold every row once.
   */
  readonly range: { readonly column: ReadColumn; readonly after: string | undefined; readonly upTo: string | undefined } | undefined;
  /** Order rows by these columns (keys), for chunked and verified reads. */
  readonly orderBy: readonly string[];
  /** Rows per batch handed to the consumer (a hint). */
  readonly batchRows: number;
}

/**
 * How connections are let go. `now`: closed before close() settles. `at_exit`: the process exits
 * right after (the CLI, once its output is written); an engine whose server runs a process per
 * connection may leave the connections that hold no transaction for that exit to close. Those
 * server processes then end after this one instead of beside its last work: on a 2-core virtual
 * machine a PostgreSQL backend's exit costs ~20 ms of CPU, and the 13 of a PostgreSQL →
 * PostgreSQL run put ~0.12 s between the run's last line and the process's exit.
 */
export type ClosingMode = 'now' | 'at_exit';

/** A read-only view of one consistent state of the source, shared by `lanes` connections. */
export interface SourceSnapshot {
  /**
   * Where the snapshot stands in the source's change log, when the engine can tell (MySQL binlog
   * file + offset, PostgreSQL LSN): change data capture starts from here. Absent = unknown.
   */
  readonly position?: { readonly kind: 'mysql_binlog'; readonly file: string; readonly offset: string } | { readonly kind: 'pg_lsn'; readonly lsn: string };
  /**
   * False when the lanes may not all see one state (MySQL without the RELOAD privilege opens them
   * back to back): then no table is read on two lanes, or a row whose key changed in between could
   * be read twice or not at all. Absent = they agree.
   */
  readonly lanesAgree?: boolean;
  /** Streams canonical rows (see types/logical.ts) in batches; honours backpressure by pull. */
  read(request: ReadRequest, lane: number): AsyncIterable<readonly Row[]>;
  count(table: QualifiedName, where: string | undefined, lane: number): Promise<number>;
  /** Smallest and largest value of a key column (canonical text), for range chunking. */
  keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined, lane: number): Promise<{ readonly min: string; readonly max: string } | undefined>;
  /** Values that split the key column into about `parts` ranges of similar row counts. */
  splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, lane: number): Promise<readonly string[]>;
  /**
   * Raw COPY passthrough (PostgreSQL family, optional): the rows of `request` as COPY data chunks in
   * `format`, for a target of the same family whose columns need no conversion. Pull-based like read().
   */
  copyOut?(request: ReadRequest, lane: number, format: CopyFormat): AsyncIterable<Buffer>;
  /**
   * Rows as the server's own text, never decoded (optional; MySQL). The bulk copy reads these when
   * the target can take text as bytes, so a value that needs no conversion is never made into a JS
   * string; the others are decoded one by one with `decoder`.
   */
  readonly rawText?: RawTextSource;
  /** Ends the lanes' transactions and lets go of their connections (see ClosingMode). */
  close(mode?: ClosingMode): Promise<void>;
}

/**
 * A batch of rows as wire bytes: field f of row r is `buffers[r]` bytes
 * [starts[r * width + f], ends[r * width + f]), or NULL when its start is -1.
 */
export interface RawTextRows {
  readonly count: number;
  readonly width: number;
  readonly buffers: readonly Buffer[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export interface RawTextSource {
  /** The rows of `request` (same semantics as SourceSnapshot.read), undecoded. */
  read(request: ReadRequest, lane: number): AsyncIterable<RawTextRows>;
  /**
   * How a column's wire text relates to its canonical value (types/logical.ts): `exact` — the
   * UTF-8 bytes of the canonical text followed by `suffix`; `same_value` — another spelling of the
   * same value (a float printed by the server instead of JS's shortest form); undefined — it must
   * be decoded.
   */
  form(column: ReadColumn): { readonly spelling: 'exact' | 'same_value'; readonly suffix: string } | undefined;
  /** Decodes one field's bytes into its canonical value. */
  decoder(column: ReadColumn): (field: Buffer) => Value;
  /**
   * The binary protocol (optional; MySQL's prepared statements): the same rows, with each column
   * that has a `wireForm` in that form and the others as the same bytes read() gives. It spares the
   * server formatting numbers and dates as text and the copy parsing them back. Undefined when some
   * column of `columns` has neither (a type whose binary form this reader does not know).
   */
  readonly binary?: {
    readable(columns: readonly ReadColumn[]): boolean;
    /**
     * Fails with EngineError('unsupported') when the server refuses the read in this protocol
     * before its first row (a proxy or a server that takes no prepared statements), or sends a
     * result laid out otherwise than the columns' types say: the caller reads it with read() instead.
     */
    read(request: ReadRequest, lane: number): AsyncIterable<RawTextRows>;
    /** The column's form in these rows; undefined = its text, as read() gives it. */
    wireForm(column: ReadColumn): WireForm | undefined;
    /** Decodes a field of a column that has a wire form into its canonical value. */
    decoder(column: ReadColumn): (field: Buffer) => Value;
  };
}

/**
 * Builds a target's bulk-load stream from fields (optional; PostgreSQL COPY text). One row is a
 * sequence of field calls then endRow(); a row found bad half way is dropped with abortRow().
 */
export interface RawTextWriter {
  readonly format: CopyFormat;
  /** A text field: canonical text given as UTF-8 bytes [start, end) of `buf`, then `suffix` (ASCII). */
  text(buf: Buffer, start: number, end: number, suffix: string): void;
  /**
   * A text field as `text` writes it, if its bytes follow `rule` (types/byte-rules.ts), checked
   * while they are copied; otherwise nothing is written and the result is false.
   */
  checkedText(buf: Buffer, start: number, end: number, suffix: string, rule: ByteRule): boolean;
  /** A binary field: the value is bytes [start, end) of `buf`. */
  bytes(buf: Buffer, start: number, end: number): void;
  /**
   * A field given in a source's binary protocol, `form` (optional: writers that build binary forms).
   * Throws EngineError('data') when the column cannot take it.
   */
  wire?(form: WireForm, buf: Buffer, start: number, end: number): void;
  /** Any canonical value of target column `column` (the decoded path). Throws EngineError('data') for a value the target cannot take. */
  value(value: Value, column: number): void;
  endRow(): void;
  abortRow(): void;
  /** Completed chunks of about 64 KB since the last call (and, with `all`, the rest). */
  take(all: boolean): Buffer[];
}

/** The same shape as SourceSnapshot.position, named. */
export type SnapshotPosition =
  | { readonly kind: 'mysql_binlog'; readonly file: string; readonly offset: string }
  | { readonly kind: 'pg_lsn'; readonly lsn: string };

/** COPY data formats of the PostgreSQL family. */
export type CopyFormat = 'text' | 'binary';

export interface WriteColumn {
  readonly name: string;
  readonly native: NativeType;
  readonly logical: LogicalType;
  /** The collation the target column is declared with, when the plan sets one (its character set follows from it). */
  readonly collation?: string;
  /** The values are as the same engine's reader hands them over with ReadColumn.asStored. */
  readonly asStored?: true;
}

export interface TargetTransaction {
  query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]>;
  /** Bulk-writes canonical rows (COPY / LOAD DATA / multi-row INSERT). Returns rows written. */
  writeRows(table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>): Promise<number>;
  /**
   * Raw COPY passthrough (PostgreSQL family, optional): writes COPY data chunks of `format` (as a
   * same-family source's copyOut yields them) into `columns` of `table`. Returns rows written.
   */
  copyIn?(table: QualifiedName, columns: readonly string[], format: CopyFormat, data: AsyncIterable<Buffer>): Promise<number>;
  /**
   * Careful mode (optional): writes `rows` by statements the target undoes on their own when it
   * refuses them, so a refused row leaves the transaction as it was without a savepoint (InnoDB
   * rolls back only the failed statement). Returns, for each row, undefined when it was written or
   * the data error ('data' kind) that refused it; any other failure is thrown. Engines without it
   * have a refused batch bisected under savepoints, which costs several round trips per try.
   */
  writeEach?(table: QualifiedName, columns: readonly WriteColumn[], rows: readonly Row[]): Promise<readonly (EngineError | undefined)[]>;
  /**
   * Careful mode (optional): the columns of `table`'s constraint or index `name` (a refusal's
   * `constraint`), in the order the catalog keeps them; empty when the catalog has no such one or
   * it covers no plain column (an expression index). Called after the refused write was undone,
   * once per constraint and chunk.
   */
  constraintColumns?(table: QualifiedName, name: string): Promise<readonly string[]>;
  /**
   * Change data capture (optional): insert-or-replace `rows` by `keyColumns` (a subset of `columns`).
   * Replaying the same rows is harmless. Returns rows written.
   */
  upsertRows?(table: QualifiedName, columns: readonly WriteColumn[], keyColumns: readonly string[], rows: readonly Row[]): Promise<number>;
  /** Change data capture (optional): deletes the rows with these key values (canonical, in `keyColumns` order). */
  deleteRows?(table: QualifiedName, keyColumns: readonly WriteColumn[], keys: readonly Row[]): Promise<number>;
}

export interface EngineConnection {
  readonly engine: EngineName;
  /** The URL with the password replaced by `***`. */
  readonly endpoint: string;
  readonly serverVersion: string;
  introspect(scope: IntrospectScope): Promise<Catalog>;
  /**
   * Opens `lanes` read connections on one consistent snapshot. `position`: the snapshot must also
   * say where the change stream stands (change data capture starts there).
   */
  snapshot(lanes: number, options?: { readonly position?: boolean }): Promise<SourceSnapshot>;
  /** Runs statements one by one outside a transaction (DDL that cannot run in one). */
  execute(statements: readonly string[]): Promise<void>;
  query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]>;
  /** Runs `fn` in one transaction on one pooled connection; rolls back if it throws. */
  transaction<T>(fn: (tx: TargetTransaction) => Promise<T>): Promise<T>;
  /**
   * A builder of the data a transaction's `copyIn` takes, from fields (optional: only where
   * transactions have copyIn); the writer itself is pure byte building (see RawTextWriter). The
   * engine may look at the table as it stands to pick the writer's format: a format that sends
   * values in the column's own binary form is only safe on a column of the type the plan expects.
   */
  rawTextWriter?(table: QualifiedName, columns: readonly WriteColumn[]): Promise<RawTextWriter>;
  /**
   * Whether binary COPY data of `columns`, in their planned types' binary forms, is read as those
   * types by the table as it stands (optional: where transactions have copyIn). A table the plan
   * kept may have other types, which read the same bytes as other values.
   */
  binaryCompatible?(table: QualifiedName, columns: readonly WriteColumn[]): Promise<boolean>;
  close(mode?: ClosingMode): Promise<void>;
}

// ───────────────────────────── change data capture (optional) ─────────────────────────────

/** Where a change stream stands. Opaque text to the executor; only the engine compares two. */
export type ChangePosition = string;

/** A source table followed, with the columns (and their types) the plan reads from it. */
export interface CaptureTable {
  readonly table: QualifiedName;
  readonly columns: readonly ReadColumn[];
  /** Every column the source table had when the plan was made (mapped or not): a column outside it was added since. */
  readonly knownColumns: readonly string[];
}

export interface CaptureSetup {
  /** Names the server-side objects the tool creates (PostgreSQL: publication and slot). Unique per plan and source. */
  readonly name: string;
  readonly tables: readonly CaptureTable[];
}

/** A prerequisite of change capture the source lacks, with the exact fix. */
export interface CaptureProblem {
  readonly check: 'log_level' | 'privilege' | 'table_key' | 'row_format' | 'row_image' | 'row_metadata';
  readonly message: string;
  /** The statement to run or the server setting to make. */
  readonly fix: string;
  readonly table?: QualifiedName;
}

/** A row image of a change: canonical values by source column name; `undefined` = unchanged and not sent (PostgreSQL TOAST). */
export type ChangeRow = Readonly<Record<string, Value | undefined>>;

export type SourceChange =
  /** Insert, or update: the whole new row. `oldKey` when the update changed the key (the old row goes). */
  | { readonly kind: 'upsert'; readonly table: QualifiedName; readonly row: ChangeRow; readonly oldKey: ChangeRow | undefined }
  | { readonly kind: 'delete'; readonly table: QualifiedName; readonly key: ChangeRow }
  | { readonly kind: 'truncate'; readonly tables: readonly QualifiedName[] }
  /** The source table now has columns the plan never saw (added while following). */
  | { readonly kind: 'new_columns'; readonly table: QualifiedName; readonly columns: readonly string[] };

export type ChangeStreamItem =
  /** One committed source transaction, in commit order; `position` is where to resume after it. */
  | { readonly kind: 'transaction'; readonly position: ChangePosition; readonly committedAt: number | undefined; readonly changes: readonly SourceChange[] }
  /**
   * Everything committed on the source before the last `probe()` has been delivered. `position`,
   * when given, may be confirmed once the transactions before it are applied (PostgreSQL: lets the
   * slot free WAL while the followed tables are idle).
   */
  | { readonly kind: 'caught_up'; readonly position?: ChangePosition };

export interface ChangeStream {
  /** The next item, or undefined when nothing arrives within `waitMs`. Throws EngineError when the stream fails. */
  next(waitMs: number): Promise<ChangeStreamItem | undefined>;
  /** Everything up to `position` is applied durably: the source may free it (PostgreSQL: acknowledge the slot). */
  confirm(position: ChangePosition): Promise<void>;
  /** Asks for a `caught_up` item once all that is committed on the source now has been delivered. */
  probe(): Promise<void>;
  /** Items received and not yet handed out (for "events behind"). */
  buffered(): number;
  close(): Promise<void>;
}

export interface ChangeCapture {
  /** What the source lacks for capturing `tables`, each with its fix. Empty = ready. */
  check(tables: readonly CaptureTable[]): Promise<readonly CaptureProblem[]>;
  /**
   * Creates what the stream needs on the server (PostgreSQL: publication + slot) and returns the
   * position the stream starts from, with a snapshot of `lanes` connections at exactly that position
   * when `lanes` > 0 (the full load reads from it, so load and stream meet exactly once).
   */
  start(setup: CaptureSetup, lanes: number): Promise<{ readonly position: ChangePosition; readonly snapshot: SourceSnapshot | undefined }>;
  /**
   * Before a resumed run (its full load may copy tables added to the plan since): make the server-side
   * objects cover `setup.tables` (PostgreSQL: the publication's table list). Optional: nothing to do.
   */
  refresh?(setup: CaptureSetup): Promise<void>;
  /** Streams the committed transactions after `from` (none at or before it). */
  stream(setup: CaptureSetup, from: ChangePosition): Promise<ChangeStream>;
  /** Negative, zero or positive as `a` is before, at or after `b`. */
  compare(a: ChangePosition, b: ChangePosition): number;
  /** Drops what `start` created; returns one line per object dropped. */
  teardown(setup: Pick<CaptureSetup, 'name'>): Promise<readonly string[]>;
  close(): Promise<void>;
}

export interface ChangeCaptureModule {
  open(config: ConnectConfig): Promise<ChangeCapture>;
}
