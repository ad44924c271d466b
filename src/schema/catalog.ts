/**
 * The neutral catalog: what introspection reads from a database, whatever the engine. Names are
 * kept exactly as the engine stores them (case included).
 */
import type { EngineName } from '../ir/ir.js';
import type { LogicalType } from '../types/logical.js';

/** A native type as the engine spells it, parsed: `int(10) unsigned` → name 'int', params [10], unsigned. */
export interface NativeType {
  /** Lower-case base name, multi-word where the engine has them: 'timestamp with time zone'. */
  readonly name: string;
  readonly params: readonly number[];
  readonly unsigned: boolean;
  /** The full text as the engine prints it (used in plans and reports). */
  readonly text: string;
  /** Element type of an array type (PostgreSQL `text[]`). */
  readonly element?: NativeType;
  /** Labels of an enum or set type. */
  readonly values?: readonly string[];
  /** Name of a user-defined type (PostgreSQL enum / domain), schema-qualified when needed. */
  readonly userTypeName?: string;
}

export type DefaultValue =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'current_timestamp'; readonly precision: number | undefined }
  | { readonly kind: 'current_date' }
  /**
   * `nextval(sequence)`. Where the sequence belongs to the column (serial), an identity stands for
   * it; `shared` is a sequence of its own (used by several columns, or made apart from the table),
   * which a target of the same dialect creates and keeps the default on.
   */
  | { readonly kind: 'sequence'; readonly sequence: string; readonly shared?: SequenceCatalog }
  /** Anything else: an engine-specific expression carried as SQL text (reported, not translated). */
  | { readonly kind: 'expression'; readonly sql: string };

export interface ColumnCatalog {
  readonly name: string;
  /** 1-based position in the table. */
  readonly ordinal: number;
  readonly nativeType: NativeType;
  readonly logical: LogicalType;
  readonly nullable: boolean;
  readonly default: DefaultValue | undefined;
  /**
   * Auto-increment / identity / serial. `next`: MySQL's AUTO_INCREMENT counter (SQLite's
   * sqlite_sequence row + 1 for an AUTOINCREMENT table), the value the
   * source would hand out next, when above 1 — past the largest row where the top rows were deleted.
   */
  readonly identity: { readonly kind: 'always' | 'by_default' | 'auto_increment' | 'serial'; readonly next?: string } | undefined;
  readonly generated: { readonly expression: string; readonly stored: boolean } | undefined;
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`. */
  readonly onUpdateCurrentTimestamp: boolean;
  /** MySQL `INVISIBLE`: left out of `SELECT *` and of an INSERT without a column list. */
  readonly invisible?: boolean;
  readonly collation: string | undefined;
  readonly charset: string | undefined;
  readonly comment: string | undefined;
  /** The PostgreSQL domain the column is declared with; `nativeType` is then the domain's base type. */
  readonly domain?: DomainCatalog;
  /** PostgreSQL: the extension its type comes with (citext, hstore, postgis…), when one does. */
  readonly typeExtension?: string;
}

/** A PostgreSQL domain: a base type (the column's `nativeType`) with constraints of its own. */
export interface DomainCatalog {
  readonly schema: string;
  readonly name: string;
  readonly notNull: boolean;
  /** The domain's default, as engine SQL. */
  readonly default: string | undefined;
  /** CHECK constraints, each an expression on VALUE (engine SQL). */
  readonly checks: readonly CheckCatalog[];
  /**
   * Listed but never recreated, even by the same engine: a domain over an array (the column is
   * created as the array type). Its rules are reported (DMS3432) rather than dropped unsaid.
   */
  readonly listedOnly?: boolean;
}

/**
 * A constraint declared DEFERRABLE, and whether its check waits for the end of the transaction from
 * the start (PostgreSQL keys and foreign keys, SQLite foreign keys). Absent: checked at once, always.
 */
export type Deferrable = 'initially_immediate' | 'initially_deferred';

export interface KeyCatalog {
  readonly name: string;
  readonly columns: readonly string[];
  readonly deferrable?: Deferrable;
  /** PostgreSQL: columns carried in the key's index without being compared (`INCLUDE`). */
  readonly include?: readonly string[];
  /** PostgreSQL 15+: NULLs compare equal, so at most one row may have them (`UNIQUE NULLS NOT DISTINCT`). */
  readonly nullsNotDistinct?: boolean;
}

export interface IndexCatalog {
  readonly name: string;
  readonly unique: boolean;
  /** Columns in order; an expression part is carried as SQL text with `expression: true`. */
  readonly parts: readonly {
    readonly column?: string;
    readonly expression?: string;
    readonly descending: boolean;
    readonly prefixLength?: number;
    /** PostgreSQL: an operator class other than the type's default (`text_pattern_ops`, `gin_trgm_ops`). */
    readonly opclass?: string;
    /** SQLite: a collation other than the column's own (`email COLLATE NOCASE`), kept between SQLite databases. */
    readonly collation?: string;
  }[];
  /** Partial index predicate (engine SQL), where the engine has them. */
  readonly where: string | undefined;
  /** btree, hash, gin, fulltext, spatial … (lower case). */
  readonly method: string;
  /** PostgreSQL: columns stored in the index without being part of its key (`INCLUDE`). */
  readonly include?: readonly string[];
  /** PostgreSQL 15+: a unique index whose NULLs compare equal. */
  readonly nullsNotDistinct?: boolean;
}

export type ReferentialAction = 'no_action' | 'restrict' | 'cascade' | 'set_null' | 'set_default';

export interface ForeignKeyCatalog {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  readonly deferrable?: Deferrable;
  /** `MATCH FULL`: a row must have all its referencing columns NULL or none (PostgreSQL enforces it). */
  readonly matchFull?: boolean;
  /**
   * A target's foreign key only: the source collation of its text columns, where the source matched
   * child to parent ignoring case or trailing spaces and the target compares exactly (check/loose-keys.ts).
   */
  readonly looseOnSource?: string;
  /**
   * PostgreSQL 15+: `ON DELETE SET NULL (b)` / `SET DEFAULT (b)` sets only these referencing columns
   * (the others keep their value); absent, the action sets them all.
   */
  readonly onDeleteColumns?: readonly string[];
}

export interface CheckCatalog {
  readonly name: string;
  readonly expression: string;
}

export interface TableCatalog {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly columns: readonly ColumnCatalog[];
  readonly primaryKey: KeyCatalog | undefined;
  /** Unique constraints and unique indexes that are not the primary key. */
  readonly uniqueKeys: readonly KeyCatalog[];
  /** Non-unique indexes, and unique ones that are not constraints where the engine distinguishes. */
  readonly indexes: readonly IndexCatalog[];
  readonly foreignKeys: readonly ForeignKeyCatalog[];
  readonly checks: readonly CheckCatalog[];
  /** The engine's row estimate (statistics); exact counts are taken at run time. */
  readonly rowEstimate: number;
  /** The engine's estimate of the table's data size in bytes, when it keeps one (it sizes chunks). */
  readonly bytesEstimate?: number;
  readonly comment: string | undefined;
  /** Declared `PARTITION BY` (PostgreSQL: it holds its partitions' rows, read through it; MySQL). */
  readonly partitioned?: boolean;
  /**
   * The `PARTITION BY …` clause as the server prints it, to make the same partitioning on a target
   * of the same dialect. MySQL: with its partitions' definitions. PostgreSQL: the key alone
   * (`PARTITION BY RANGE (at)`), its partitions in `partitions`.
   */
  readonly partitionClause?: string;
  /**
   * PostgreSQL: the partitions under a partitioned table, at every depth, parents before their
   * partitions. Set only where each is a plain or partitioned table in the table's own schema (a
   * foreign table as a partition, or a partition in another schema, leaves the table plain).
   */
  readonly partitions?: readonly PartitionCatalog[];
  /** PostgreSQL: why the partitioning cannot be made again (`partition other.x1 is in another schema`). */
  readonly partitioningNotKept?: string;
  /**
   * SQLite: the options after the column list (`WITHOUT ROWID`, `STRICT`). STRICT decides what a
   * column stores (an ANY column of a STRICT table keeps text '5' as text; elsewhere ANY has NUMERIC
   * affinity and makes it 5), so they are kept between SQLite databases with the declarations.
   */
  readonly tableOptions?: readonly string[];
  /** PostgreSQL `UNLOGGED`: not written to the WAL, so emptied after a crash and not replicated. */
  readonly unlogged?: true;
  /**
   * PostgreSQL table inheritance (`INHERITS`, not partitions): the tables this one inherits from
   * and the tables that inherit from it, as `schema.name`. Each is read as its own rows only.
   */
  readonly inheritance?: { readonly parents: readonly string[]; readonly children: readonly string[] };
  /** MariaDB `WITH SYSTEM VERSIONING`: a query returns the current rows; the history is kept beside them. */
  readonly systemVersioned?: boolean;
  /**
   * MySQL family: the table's storage engine, where it takes no part in transactions (MyISAM, Aria,
   * MEMORY, …): no snapshot covers it, so it is read as it is when each chunk is read.
   */
  readonly nonTransactionalEngine?: string;
  /**
   * PostgreSQL row-level security: whether it is enabled (and forced on the owner too), and its
   * policies by name and as defined. `hidesRows`: it applies to the user dmsplan reads as (not the
   * owner, a superuser or BYPASSRLS), whose reads — counts and checksums included — would see only
   * the rows the policies let through.
   */
  readonly rowSecurity?: {
    readonly enabled: boolean;
    readonly policies: readonly string[];
    readonly hidesRows?: boolean;
    readonly forced?: boolean;
    readonly definitions?: readonly PolicyCatalog[];
  };
  /** PostgreSQL EXCLUDE constraints, each as its definition (`EXCLUDE USING gist (…)`): listed, not made. */
  readonly exclusions?: readonly CheckCatalog[];
  /** A view's definition, where the engine gives one that a target of its dialect can run again (PostgreSQL, MySQL family). */
  readonly view?: ViewDefinition;
  /** PostgreSQL family: the table's own triggers (not those the server makes for keys), by name. */
  readonly triggers?: readonly TriggerCatalog[];
}

/** A PostgreSQL trigger, as `pg_get_triggerdef` prints it. */
export interface TriggerCatalog {
  readonly name: string;
  /** `CREATE [CONSTRAINT] TRIGGER name … ON schema.table … EXECUTE FUNCTION fn(args)`. */
  readonly definition: string;
  /** The table as the definition names it after ON (`quote_ident(schema).quote_ident(table)`). */
  readonly tableText: string;
  /**
   * The function it runs, by schema and name, and as the definition may print it (qualified, or
   * bare where the search_path finds it).
   */
  readonly function: { readonly schema: string; readonly name: string; readonly qualifiedText: string; readonly nameText: string };
}

/**
 * A PostgreSQL function or procedure of the database's own (no extension's), as
 * `pg_get_functiondef` prints it — with its name schema-qualified, so it can be made elsewhere.
 */
export interface RoutineCatalog {
  readonly schema: string;
  readonly name: string;
  /** The argument types that tell overloads apart (`pg_get_function_identity_arguments`). */
  readonly args: string;
  readonly kind: 'function' | 'procedure' | 'aggregate' | 'window';
  /**
   * `CREATE OR REPLACE FUNCTION schema.name(…) …` (absent for aggregates, which it does not print).
   * Its name as printed is `qualifiedName`.
   */
  readonly definition?: string;
  /** `quote_ident(schema).quote_ident(name)`, as the definition names it. */
  readonly qualifiedName: string;
  /** Its language (`plpgsql`, `sql`, `c`, `plpython3u`…); absent in catalogs saved before it was read. */
  readonly language?: string;
}

/** What it takes to make a view again: its query, options, and what the query reads. */
export interface ViewDefinition {
  /**
   * The query as the server prints it. PostgreSQL (`pg_get_viewdef`): names outside `searchPath` are
   * qualified. MySQL family (VIEW_DEFINITION): every table is `db`.`t`, a stored function of the
   * view's own database is called unqualified.
   */
  readonly query: string;
  /** PostgreSQL: the search_path the query was printed under, to be set when it is run again ('' elsewhere). */
  readonly searchPath: string;
  readonly checkOption: 'local' | 'cascaded' | undefined;
  readonly securityBarrier: boolean;
  /** Tables and views the query reads, with the columns it reads of each. */
  readonly reads: readonly { readonly schema: string; readonly name: string; readonly columns: readonly string[] }[];
  /** Functions of the database's own (not of an extension, not built in) the query calls, as `schema.name`. */
  readonly functions: readonly string[];
  /** MySQL family: ALGORITHM (UNDEFINED, MERGE, TEMPTABLE), where the server says. */
  readonly algorithm?: string;
  /** MySQL family: SQL SECURITY — whose privileges the query runs with. */
  readonly security?: 'definer' | 'invoker';
  /** MySQL family: the DEFINER account, `user` and `host`. */
  readonly definer?: { readonly user: string; readonly host: string };
  /** PostgreSQL: a materialized view (its rows are stored; REFRESH fills them). */
  readonly materialized?: boolean;
  /** PostgreSQL materialized view: whether it holds its rows (false after WITH NO DATA). */
  readonly populated?: boolean;
  /**
   * PostgreSQL materialized view: its indexes, each by name with what follows `ON table` in its
   * definition (` USING btree (id) WHERE …`).
   */
  readonly indexes?: readonly { readonly name: string; readonly unique: boolean; readonly using: string }[];
}

export interface SequenceCatalog {
  readonly schema: string;
  readonly name: string;
  /** The last value handed out; undefined when nextval was never called. */
  readonly lastValue: string | undefined;
  /** PostgreSQL: how it counts (integer type, start, step, bounds, cycling, cache). */
  readonly definition?: { readonly dataType: string; readonly start: string; readonly increment: string; readonly min: string; readonly max: string; readonly cycle: boolean; readonly cache: string };
  /** The column it belongs to (serial or identity), when one owns it. */
  readonly ownedBy?: { readonly table: string; readonly column: string };
}

/** Objects reported as not converted (views unless opted in, routines, triggers). */
export interface OtherObjectCatalog {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'view' | 'materialized_view' | 'function' | 'procedure' | 'trigger' | 'event' | 'type' | 'sequence';
}

export interface Catalog {
  readonly engine: EngineName;
  /** Database name (PostgreSQL database, MySQL server default schema, SQLite file). */
  readonly database: string;
  /** The engine's own version string, for reports. */
  readonly serverVersion: string;
  /**
   * Schemas in the scope read. MySQL: each database is a schema. SQLite: 'main'.
   * PostgreSQL: every non-system schema.
   */
  readonly schemas: readonly string[];
  readonly tables: readonly TableCatalog[];
  readonly sequences: readonly SequenceCatalog[];
  readonly others: readonly OtherObjectCatalog[];
  /** PostgreSQL family: the database's encoding (`UTF8`, `LATIN1`, `SQL_ASCII`, …). */
  readonly encoding?: string;
  /** PostgreSQL and MySQL families: the collations the server has, by name (a target must have a column's to keep it). */
  readonly collations?: readonly string[];
  /**
   * PostgreSQL family: the names of the database's types, extension types included (a target must
   * have a column's). MariaDB: its data-type plugins (inet4, inet6, uuid), kept where a target has them.
   */
  readonly typeNames?: readonly string[];
  /**
   * PostgreSQL family: the functions and operator classes outside pg_catalog (the database's own
   * and its extensions'), by name, with the extension that brings each: a target must have those
   * its defaults, checks and indexes use.
   */
  readonly functions?: readonly { readonly name: string; readonly extension?: string }[];
  /** PostgreSQL family: the functions and procedures of the schemas read, with their definitions (not extensions'). */
  readonly routines?: readonly RoutineCatalog[];
  /** PostgreSQL family: the server's roles (a policy made on a target names roles it must have). */
  readonly roles?: readonly string[];
  /**
   * MySQL family: the accounts the server has that dmsplan's user can see, as `'user'@'host'` (a view
   * made on a target keeps its DEFINER only where the target has that account).
   */
  readonly accounts?: readonly string[];
}

/** A PostgreSQL row-level security policy, as `CREATE POLICY` takes it. */
export interface PolicyCatalog {
  readonly name: string;
  /** PERMISSIVE (the default) or RESTRICTIVE. */
  readonly permissive: boolean;
  readonly command: 'all' | 'select' | 'insert' | 'update' | 'delete';
  /** The roles it applies to; empty: PUBLIC. */
  readonly roles: readonly string[];
  /** The USING expression and the WITH CHECK expression, as the server prints them. */
  readonly using?: string;
  readonly check?: string;
}

/** A PostgreSQL partition: a table of its own, attached to its parent for a range of values. */
export interface PartitionCatalog {
  readonly name: string;
  /** The partitioned table it belongs to: the root table, or a partition partitioned in turn. */
  readonly parent: string;
  /** `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`, `FOR VALUES IN (1, 2)`, `DEFAULT`, as the server prints it. */
  readonly bound: string;
  /** `PARTITION BY …` of a partition that is partitioned itself. */
  readonly partitionBy?: string;
}
