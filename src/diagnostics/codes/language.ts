import type { CodeInfo } from './types.js';

/** Codes emitted while lowering a plan's AST to the IR (names, settings, references, imports). */
export const LANGUAGE = {
  unknownEngine: 'DMS2001',
  unknownSetting: 'DMS2002',
  invalidSettingValue: 'DMS2003',
  duplicateSetting: 'DMS2004',
  missingSetting: 'DMS2005',
  unknownBlock: 'DMS2006',
  blockNotApplicable: 'DMS2008',
  duplicateEndpoint: 'DMS2010',
  duplicateMapTarget: 'DMS2011',
  duplicateTable: 'DMS2012',
  duplicateMerge: 'DMS2013',
  duplicateMigration: 'DMS2014',
  unknownEndpoint: 'DMS2020',
  wrongEndpointRole: 'DMS2021',
  urlWithPassword: 'DMS2030',
  literalServerUrl: 'DMS2031',
  invalidEnvName: 'DMS2032',
  unknownConversion: 'DMS2040',
  unboundTypeParam: 'DMS2041',
  invalidTypeParam: 'DMS2042',
  unknownFunction: 'DMS2050',
  wrongArgumentCount: 'DMS2051',
  invalidRegex: 'DMS2052',
  repeatedStatement: 'DMS2053',
  conflictingColumnRules: 'DMS2054',
  unknownMaskMethod: 'DMS2056',
  invalidDateLiteral: 'DMS2057',
  valueOutOfRange: 'DMS2060',
  notExecutableYet: 'DMS2061',
  importNotFound: 'DMS2070',
  importCycle: 'DMS2071',
  migrationInImport: 'DMS2072',
  onlyTypesAllowed: 'DMS2073',
  incompleteMerge: 'DMS2080',
  offsetWithoutOffsetStrategy: 'DMS2081',
  invalidSelector: 'DMS2090',
  tableRenameNeedsExactName: 'DMS2092',
} as const;

export const LANGUAGE_CODES: readonly CodeInfo[] = [
  {
    code: LANGUAGE.unknownEngine,
    title: 'unknown engine',
    explanation: `An endpoint or a \`types\` block names a database engine dmsplan does not know.
Engines: \`postgres\` (alias \`postgresql\`), \`mysql\` (alias \`mariadb\`), \`sqlite\`, \`pglite\`, \`sqlserver\`, \`oracle\`.

\`\`\`
source shop mysqll { url = env("SHOP_URL") }   # error
source shop mysql  { url = env("SHOP_URL") }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.unknownSetting,
    title: 'unknown setting',
    explanation: `A block contains a setting that this kind of block does not have (often a typo, or a setting that belongs
to another block, such as \`prepare\` on a source). The hint suggests the closest known name.

Settings: \`migration\`: mode, workers, validate, max_rejects, on_error — \`source\`: url — \`target\`: url, prepare —
\`tls\`: mode, ca, cert, key — \`map\`: names, views — \`merge\`: strategy, on_conflict.

\`\`\`
migration m { worker = 8 }    # error
migration m { workers = 8 }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.invalidSettingValue,
    title: 'invalid setting value',
    explanation: `The value of a setting is not one it accepts. The message lists the allowed values.

\`\`\`
target dw postgres { url = env("DW_URL")  prepare = recreate }          # error
target dw postgres { url = env("DW_URL")  prepare = drop_and_create }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.duplicateSetting,
    title: 'setting given twice',
    explanation: `The same setting appears twice in one block; only one value can apply. Remove one of them.

\`\`\`
migration m { workers = 4  workers = 8 }   # error
migration m { workers = 8 }                # fix
\`\`\``,
  },
  {
    code: LANGUAGE.missingSetting,
    title: 'required setting missing',
    explanation: `A block lacks a setting it cannot do without, such as the \`url\` of an endpoint.

\`\`\`
source shop mysql { }                          # error
source shop mysql { url = env("SHOP_URL") }    # fix
\`\`\``,
  },
  {
    code: LANGUAGE.unknownBlock,
    title: 'unknown block',
    explanation: `An endpoint contains a block that endpoints do not have. Endpoints have \`tls { ... }\` and \`session { ... }\`.

\`\`\`
target dw postgres { url = env("DW_URL")  ssl { mode = require } }   # error
target dw postgres { url = env("DW_URL")  tls { mode = require } }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.blockNotApplicable,
    title: 'block not applicable to this engine',
    explanation: `The block has no meaning for the endpoint's engine, so it would silently do nothing: \`tls\` for file
databases (\`sqlite\`, \`pglite\`), \`session\` for \`sqlite\` (which has no \`SET\`). Remove it.`,
  },
  {
    code: LANGUAGE.duplicateEndpoint,
    title: 'duplicate endpoint name',
    explanation: `Two endpoints (sources or targets, in this file or its imports) have the same name. Names identify endpoints in
maps and merges, so each must be unique. Rename one of them.

\`\`\`
source db mysql    { url = env("A") }
target db postgres { url = env("B") }   # error: 'db' already names a source
target dw postgres { url = env("B") }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.duplicateMapTarget,
    title: 'duplicate map target',
    explanation: `Two maps write to the same target schema and table selection, so their tables would collide. Combine them into
one map, give them different target schemas, or use a \`merge\` to consolidate several sources into one table.

\`\`\`
map a.app.* -> dw.app.* { }
map b.app.* -> dw.app.* { }    # error
map b.app.* -> dw.app_b.* { }  # fix
\`\`\``,
  },
  {
    code: LANGUAGE.duplicateTable,
    title: 'duplicate table block',
    explanation: `A map has two \`table\` blocks for the same table pattern. Put all the rules for a table into one block.`,
  },
  {
    code: LANGUAGE.duplicateMerge,
    title: 'duplicate merge name',
    explanation: `Two \`merge\` blocks have the same name. Names identify merges in plans and logs; rename one.`,
  },
  {
    code: LANGUAGE.duplicateMigration,
    title: 'more than one migration block',
    explanation: `A plan has at most one \`migration\` block. Merge the settings into one block.`,
  },
  {
    code: LANGUAGE.unknownEndpoint,
    title: 'unknown endpoint',
    explanation: `A map or merge refers to an endpoint that no \`source\` or \`target\` declares (in this file or its imports).
The hint suggests the closest declared name.

\`\`\`
source shop mysql { url = env("SHOP_URL") }
map shp.app.* -> dw.app.* { }    # error: 'shp'
map shop.app.* -> dw.app.* { }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.wrongEndpointRole,
    title: 'endpoint used in the wrong role',
    explanation: `Maps and merges read from sources and write to targets: the left side of a map and the \`from\` of a merge
must name a \`source\`; the right side of a map and the \`into\` of a merge must name a \`target\`.
To copy into a database that you also read from, declare it twice, once as a source and once as a target,
under two names.`,
  },
  {
    code: LANGUAGE.urlWithPassword,
    title: 'password in a plan file',
    explanation: `A URL written in the plan contains a password. Plans are kept in version control, so secrets must not be in them:
take the URL from the environment with \`env("VAR")\`. A default given to \`env()\` must not hold a password either.

\`\`\`
source shop mysql { url = "mysql://app:s3cret@db/shop" }   # error
source shop mysql { url = env("SHOP_URL") }                 # fix, with SHOP_URL set in the environment
\`\`\``,
  },
  {
    code: LANGUAGE.literalServerUrl,
    title: 'literal URL for a server database',
    explanation: `A server database (postgres, mysql, sqlserver, oracle) is given by a literal URL. That works, but ties the plan to
one host and tends to invite passwords into the file. Prefer \`env("VAR")\`, optionally with a non-secret default:
\`url = env("DW_URL", "postgres://localhost/dw")\`. File databases (sqlite, pglite) may use literal paths.`,
  },
  {
    code: LANGUAGE.invalidEnvName,
    title: 'invalid environment variable name',
    explanation: `\`env("...")\` takes the *name* of an environment variable (letters, digits and \`_\`, not starting with a digit),
not its value.

\`\`\`
url = env("postgres://localhost/dw")   # error: this is a value
url = env("DW_URL")                    # fix
\`\`\``,
  },
  {
    code: LANGUAGE.unknownConversion,
    title: 'unknown conversion',
    explanation: `The name after \`using\` is not one of the conversions dmsplan implements (see docs/type-mapping.md).
The hint suggests the closest one.

\`\`\`
datetime -> timestamptz using zero_date_to_null    # error
datetime -> timestamptz using zero_dates_to_null   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.unboundTypeParam,
    title: 'type parameter not bound by the pattern',
    explanation: `A type rule's target type or guard uses a parameter name that the source pattern does not bind. Parameters are
bound by naming them in the pattern's parentheses.

\`\`\`
decimal -> numeric(p, s)          # error: p and s are not bound
decimal(p, s) -> numeric(p, s)    # fix
\`\`\``,
  },
  {
    code: LANGUAGE.invalidTypeParam,
    title: 'invalid type parameter',
    explanation: `A type parameter is not valid where it is written: \`*\` (any) only appears in rule patterns, parameter names
only in type rules (a column type in a table block needs numbers), a name may be bound only once in a pattern,
and numbers must be whole and not negative.

\`\`\`
column Total numeric(p, 2)    # error: p means nothing here
column Total numeric(12, 2)   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.unknownFunction,
    title: 'unknown function',
    explanation: `The value of an added column calls a function dmsplan does not evaluate. Functions: \`concat(a, ...)\`,
\`upper(s)\`, \`lower(s)\`, \`coalesce(a, ...)\`, \`substr(s, start[, length])\`, \`now()\`.

\`\`\`
add label text = concatenate(City, Country)   # error
add label text = concat(City, Country)        # fix
\`\`\``,
  },
  {
    code: LANGUAGE.wrongArgumentCount,
    title: 'wrong number of arguments',
    explanation: `A function is called with a number of arguments it does not take; the message gives the expected count.

\`\`\`
add code text = upper(a, b)   # error: upper takes 1 argument
add code text = upper(a)      # fix
\`\`\``,
  },
  {
    code: LANGUAGE.invalidRegex,
    title: 'invalid regular expression',
    explanation: `A \`/regex/flags\` name pattern is not a valid JavaScript regular expression, or uses a flag other than
\`i\`, \`m\`, \`s\` and \`u\`.

\`\`\`
exclude /^tmp_(.*$/     # error: unclosed group
exclude /^tmp_.*$/i     # fix
\`\`\``,
  },
  {
    code: LANGUAGE.repeatedStatement,
    title: 'statement may appear only once',
    explanation: `\`where\` and \`chunk\` may appear once per table block, and \`key\` once per merge. Combine the
conditions with \`and\`:

\`\`\`
where Total > 0
where Year >= 2020          # error
where Total > 0 and Year >= 2020   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.conflictingColumnRules,
    title: 'conflicting rules for a column',
    explanation: `A table block gives a column rules that cannot all apply: dropped and also renamed, masked or retyped; renamed
twice; masked twice; given two type overrides; or added twice. Keep one rule per purpose.`,
  },
  {
    code: LANGUAGE.unknownMaskMethod,
    title: 'unknown mask method',
    explanation: `\`mask COLUMN = ...\` takes \`hash\`, \`redact\`, \`randomize_digits\` or a literal value (\`'n/a'\`, \`0\`, \`null\`).

\`\`\`
mask Email = sha256   # error
mask Email = hash     # fix
\`\`\``,
  },
  {
    code: LANGUAGE.invalidDateLiteral,
    title: 'invalid date or timestamp literal',
    explanation: `\`date '...'\` takes \`YYYY-MM-DD\`; \`timestamp '...'\` takes \`YYYY-MM-DD hh:mm[:ss[.fff]]\` (a \`T\` may
separate date and time; a zone offset or \`Z\` may follow). The date must exist.

\`\`\`
where InvoiceDate >= date '2009-13-01'   # error: no 13th month
where InvoiceDate >= date '2009-12-01'   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.valueOutOfRange,
    title: 'number out of range',
    explanation: `A number is outside the range its setting allows: \`workers\` ≥ 1, \`max_rejects\` ≥ 0, \`chunk rows\` ≥ 1,
merge \`offset\` ≥ 0; all must be whole numbers.

\`\`\`
migration m { workers = 0 }   # error
migration m { workers = 1 }   # fix
\`\`\``,
  },
  {
    code: LANGUAGE.notExecutableYet,
    title: 'feature not executable yet',
    explanation: `The plan asks for something the language can express but dmsplan cannot run for this plan — currently change
data capture (\`mode = cdc\` and \`mode = full_load_and_cdc\`) from a source other than PostgreSQL or
MySQL/MariaDB, or into a target other than PostgreSQL or MySQL/MariaDB (SQLite, for example). The message names
the endpoint. Use \`mode = full_load\` and run the plan again to refresh the target.`,
  },
  {
    code: LANGUAGE.importNotFound,
    title: 'file not found',
    explanation: `A plan file, or a file named by \`import\`, cannot be read. Import paths are relative to the importing file.

\`\`\`
import "type/common.dmsplan"    # error (in plans/main.dmsplan)
import "types/common.dmsplan"   # fix: plans/types/common.dmsplan exists
\`\`\``,
  },
  {
    code: LANGUAGE.importCycle,
    title: 'import cycle',
    explanation: `Files import each other in a circle (a imports b, b imports a). Imports only share declarations, so move what both
need into a third file that both import.`,
  },
  {
    code: LANGUAGE.migrationInImport,
    title: 'migration block in an imported file',
    explanation: `Only the main plan file may have a \`migration\` block: imported files share endpoints, maps, type rules and merges.
Move the settings into the main file.`,
  },
  {
    code: LANGUAGE.onlyTypesAllowed,
    title: 'only types blocks allowed here',
    explanation: `A type-rules file (such as the built-in prelude under plans/types/) holds only \`types\` blocks. Move other
statements into a plan.`,
  },
  {
    code: LANGUAGE.incompleteMerge,
    title: 'incomplete merge',
    explanation: `A merge needs at least one \`from\` source and a \`key (...)\` naming the key columns of the merged table.

\`\`\`
merge customers into dw.crm.customer {
  from eu.shop.customers tag region = 'eu'
  from us.shop.customers tag region = 'us'
  key (region, id)
}
\`\`\``,
  },
  {
    code: LANGUAGE.offsetWithoutOffsetStrategy,
    title: 'offset without the offset strategy',
    explanation: `A merge source has \`offset N\`, but the merge's strategy is not \`offset\`, so the offset would be ignored.
Set \`strategy = offset\` or remove the offset.`,
  },
  {
    code: LANGUAGE.invalidSelector,
    title: 'invalid table selector',
    explanation: `A selector names the wrong shape. Map sources are \`endpoint.schema.table\` (or \`endpoint.table\`), where schema
and table may be names, globs or /regexes/. Map targets are \`endpoint.schema.table\` where schema and table are names
or \`*\` (derived from the source), and a single target table needs a single source table. Merge sources and targets
are exact \`endpoint.schema.table\` names.

\`\`\`
map shop.app.* -> dw.app.all_tables { }   # error: many tables into one
map shop.app.* -> dw.app.* { }            # fix
\`\`\``,
  },
  {
    code: LANGUAGE.tableRenameNeedsExactName,
    title: 'table rename needs an exact table name',
    explanation: `\`table PATTERN -> name\` renames a table, which only makes sense for one table: the pattern must be an exact name.

\`\`\`
table Invoice* -> invoices { }   # error
table Invoice -> invoices { }    # fix
\`\`\``,
  },
];
