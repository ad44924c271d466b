/**
 * Renders docs/type-mapping.md from the built-in prelude files: one table per engine pair with the
 * target, conversion, lossiness, and what pgloader and AWS DMS do for the same source type.
 * test/types/mapping-doc.test.ts asserts the committed file equals renderTypeMappingDoc(); after
 * changing a prelude file, regenerate with `UPDATE_TYPE_MAPPING=1 npx vitest run test/types/mapping-doc.test.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineName } from '../ir/ir.js';
import { CONVERSIONS } from './conversions/index.js';
import { CONVERSION_NAMES } from './conversion-names.js';
import { builtinTypeRules, preludeDirectory } from './prelude.js';
import { describePattern, describeRule } from './rule-text.js';

const PAIRS: readonly [EngineName, EngineName][] = [
  ['mysql', 'postgres'],
  ['postgres', 'mysql'],
  ['postgres', 'postgres'],
  ['mysql', 'mysql'],
  ['sqlite', 'postgres'],
  ['sqlite', 'mysql'],
  ['mysql', 'sqlite'],
  ['postgres', 'sqlite'],
  ['sqlite', 'sqlite'],
  ['oracle', 'postgres'],
  ['oracle', 'mysql'],
  ['sqlserver', 'postgres'],
  ['sqlserver', 'mysql'],
];

/** Oracle → PostgreSQL: what ora2pg and AWS DMS/SCT do. */
const ORACLE_OTHERS: Readonly<Record<string, string>> = {
  'oracle:number(p, 0)': 'ora2pg: smallint/integer/bigint by precision, numeric beyond. AWS DMS: NUMBER(p,0) → INT2/INT4/INT8/NUMERIC by precision. Same.',
  'oracle:number(p, s)': 'ora2pg and AWS DMS: numeric(p,s). Same; a scale above the precision (NUMBER(2,5)) becomes numeric(5,5).',
  'oracle:number': 'ora2pg: bigint or numeric depending on PG_NUMERIC_TYPE; AWS DMS: NUMBER without precision → NUMERIC (or DOUBLE PRECISION with some settings). We keep every digit: numeric.',
  'oracle:float': 'ora2pg: double precision. AWS DMS: FLOAT → FLOAT8. Oracle FLOAT is decimal with up to 40 significant digits, which double precision rounds: we use numeric.',
  'oracle:binary_double': 'ora2pg and AWS DMS: double precision. Same (NaN and ±Infinity kept).',
  'oracle:date': 'ora2pg: timestamp(0). AWS DMS: DATE → TIMESTAMP. Same: an Oracle DATE has a time of day.',
  'oracle:timestamp(p)': 'ora2pg and AWS DMS: timestamp(p). Same for p ≤ 6; TIMESTAMP(7..9) stays text unless a plan rule narrows it, `timestamp(9) -> timestamp(6) using cast lossy` (AWS DMS truncates silently).',
  'oracle:clob': 'ora2pg: text. AWS DMS: CLOB → TEXT (with LOB mode settings that may truncate). We read whole values.',
  'oracle:blob': 'ora2pg and AWS DMS: bytea. Same.',
  'oracle:varchar2(n)': 'ora2pg and AWS DMS: varchar(n). Same (BYTE or CHAR semantics: n characters is an upper bound either way).',
};

/** What other tools do by default for a source type, and why we differ (MySQL → PostgreSQL, PostgreSQL → MySQL). */
const OTHERS: Readonly<Record<string, string>> = {
  'mysql:tinyint(1)': 'pgloader: boolean (cast rule `tinyint(1) to boolean using tinyint-to-boolean`). AWS DMS: int2/boolean depending on version. pgloader reads any non-zero value as true; we map 0 and 1 exactly and reject other numbers row by row, so a 2 is never silently turned into true.',
  'mysql:bigint unsigned': 'pgloader: numeric(20). AWS DMS: BIGINT UNSIGNED → int8 / NUMERIC(20) depending on target settings; values over 2^63−1 overflow int8. We use numeric(20,0): every value fits.',
  'mysql:int unsigned': 'pgloader: bigint. AWS DMS: int8. Same.',
  'mysql:smallint unsigned': 'pgloader: integer. AWS DMS: int4. Same.',
  'mysql:tinyint unsigned': 'pgloader: smallint. AWS DMS: int2. Same.',
  'mysql:bit(1)': 'pgloader: boolean (`bit-to-boolean`). AWS DMS: BIT → BOOLEAN/BYTEA. Same as pgloader.',
  'mysql:year': 'pgloader: smallint. AWS DMS: YEAR → INT2 (version dependent). Same.',
  'mysql:decimal(p, s)': 'pgloader: numeric(p,s). AWS DMS: NUMERIC(p,s). Same.',
  'mysql:float': 'pgloader: real (float). AWS DMS: FLOAT4 (REAL). Same.',
  'mysql:double': 'pgloader: double precision. AWS DMS: FLOAT8. Same.',
  'mysql:date': 'pgloader: date with `zero-dates-to-null`. AWS DMS: DATE; zero dates fail or become NULL depending on settings. We always map zero dates to NULL, explicitly.',
  'mysql:datetime(p)': 'pgloader: timestamptz by default (zone of the server assumed) with `zero-dates-to-null`. AWS DMS: TIMESTAMP. We keep the naive timestamp(p): guessing a zone would be a silent reinterpretation.',
  'mysql:timestamp(p)': 'pgloader: timestamptz with `zero-dates-to-null`. AWS DMS: TIMESTAMP (zone dropped). MySQL TIMESTAMP is UTC-based, so timestamptz keeps its meaning.',
  'mysql:time(p)': 'pgloader: time. AWS DMS: TIME → VARCHAR / TIME (a TIME outside 00:00–24:00 fails). MySQL TIME is a duration up to ±838 hours: interval holds every value.',
  'mysql:enum': 'pgloader: a PostgreSQL enum type per column. AWS DMS: VARCHAR. We follow pgloader: the labels stay enforced.',
  'mysql:set': 'pgloader: an enum array. AWS DMS: VARCHAR. We use text[]: element order and labels are kept without creating a type.',
  'mysql:json': 'pgloader: jsonb. AWS DMS: NCLOB/JSON (text). jsonb, like MySQL JSON, is a parsed binary document.',
  'mysql:binary': 'pgloader: bytea. AWS DMS: BYTEA. Same.',
  'mysql:blob': 'pgloader: bytea. AWS DMS: BYTEA. Same.',
  'mysql:char(n)': 'pgloader: char/varchar(n). AWS DMS: CHAR(n)/VARCHAR(n). Same.',
  'mysql:varchar(n)': 'pgloader: varchar(n) (text with some settings). AWS DMS: VARCHAR(n). Same.',
  'mysql:text': 'pgloader: text. AWS DMS: TEXT/NCLOB. Same.',
  'postgres:numeric': 'AWS DMS: NUMERIC without precision → DECIMAL(65,30)-like narrowing (documented NUMERIC → DECIMAL). We keep the exact text instead of rounding silently.',
  'postgres:timestamptz(p)': 'AWS DMS: TIMESTAMP WITH TIME ZONE → DATETIME (value in UTC). Same, with the UTC rule written out (`timestamptz_to_utc`).',
  'postgres:interval': 'AWS DMS: INTERVAL → VARCHAR/TIME depending on version. We keep its text: months and >838 hours do not fit TIME.',
  'postgres:uuid': 'AWS DMS: UUID → VARCHAR(36). Same (char(36)).',
  'postgres:jsonb': 'AWS DMS: JSONB → JSON/NCLOB. We use MySQL JSON.',
  'postgres:bytea': 'AWS DMS: BYTEA → LONGBLOB. Same.',
  'postgres:boolean': 'AWS DMS: BOOLEAN → TINYINT(1)/BOOLEAN. Same.',
  'postgres:text[]': 'AWS DMS: arrays → text (LONGTEXT). We write JSON arrays, which MySQL can query.',
  ...ORACLE_OTHERS,
};

export function renderTypeMappingDoc(): string {
  const lines: string[] = [
    '# Type mapping',
    '',
    '<!-- Generated from plans/types/*.dmsplan by src/types/mapping-doc.ts; do not edit by hand. -->',
    '',
    'The built-in type rules, per engine pair. A plan\'s own `types` rules are tried first and the first matching',
    'rule wins; a column no rule matches gets the target engine\'s most faithful type (the *fallback*), and',
    'the plan is refused if that would lose data. PGlite uses the PostgreSQL rules.',
    '',
    '**Lossless** means every value of the source type is written exactly and can be read back unchanged.',
    'A lossy built-in rule says `lossy`, and so must a plan rule that narrows.',
    '',
    'Decisions:',
    '- A zero or partial-zero MySQL date (`0000-00-00`, `2020-00-15`) is not a date. `zero_dates_to_null`',
    '  turns it into NULL, and that is lossless by definition of the conversion: NULL is what such a value',
    '  means. Without it, a zero date is rejected (MySQL targets store zero dates as they are).',
    '- MariaDB\'s YEAR(2) prints two digits; it is read as the year it means (`05` is 2005, `70` is 1970),',
    '  as `ALTER … MODIFY y YEAR` would make it. The zero year `0000` is the number 0 in an integer column.',
    '- timestamp ⇄ timestamptz is lossless only under a conversion that fixes the zone rule to UTC',
    '  (`timestamptz_to_utc`, `zero_dates_to_null`); with `none`/`cast` it is lossy.',
    '- JSON documents are compared as JSON: whitespace, key order and the spelling of a number (`1.50`, `15e-1`) are not data,',
    '  so json → jsonb is lossless. Numbers are compared as exact decimals, never as doubles, and duplicate keys are kept:',
    '  engines disagree on which one counts (MariaDB reads the first, jsonb keeps the last), so `validate = checksums`',
    '  reports a document that lost one.',
    '- Values a target engine cannot store at all (U+0000 in PostgreSQL text, and as the escape `\\u0000`',
    '  in jsonb — json keeps its text as written and takes it; instants outside MySQL\'s TIMESTAMP range',
    '  1970–2038, NaN in MySQL floats, PostgreSQL\'s `infinity` and BC dates in MySQL) are rejected per row',
    '  into the rejects table; they do not make a type pair lossy.',
    '- SQLite is dynamically typed and does not check that TEXT is UTF-8: a value of another storage class',
    '  than its column\'s type (text in an INTEGER column, a BLOB in a TEXT column) and TEXT bytes that are',
    '  not UTF-8 are rejected per row with the value (the bytes as hex), never coerced or repaired (from SQLite into',
    '  SQLite, values are kept as stored instead: see sqlite → sqlite). A column',
    '  with no declared type, or declared `ANY`, holds any storage class: its values travel as text, numbers as printed and',
    '  BLOBs as `\\x`-hex (`x\'ff\'` → `\\xff`), as `to_text` writes binary (into SQLite it stays a BLOB); TEXT',
    '  in it that is not UTF-8 is rejected as in a TEXT column, never taken for a BLOB.',
    '- Neither does a PostgreSQL database whose encoding is SQL_ASCII: its bytes are read as they are',
    '  (client_encoding SQL_ASCII; converting to UTF8 would fail the whole read at the first bad byte),',
    '  and text that is not UTF-8 is rejected per row the same way. A LATIN1 or other database is',
    '  converted to UTF-8 by the server.',
    '- A PostgreSQL array whose lower bounds are not 1 (`[0:1]={1,2}`) is kept, bounds and all, by PostgreSQL and',
    '  PGlite targets; elsewhere (JSON arrays, `to_text`, an element `cast`) the row is rejected: numbering its',
    '  elements from 1 would change every subscript.',
    '- PostgreSQL\'s `infinity`, `-infinity`, BC dates and years past 9999 are kept by PostgreSQL and PGlite',
    '  targets, and by SQLite as their text. MariaDB and SQLite store a float\'s negative zero as 0.',
    '- A SQLite target column declared `JSON` would have NUMERIC affinity, which stores a document that is a',
    '  number (`1.000000000000000000001`, `1e400`) as an INTEGER or REAL and loses its digits: JSON columns',
    '  are declared `JSON_TEXT` (`JSONB_TEXT` for jsonb), which SQLite keeps as text and dmsplan reads as JSON;',
    '  likewise decimals wider than 15 digits are `DECIMAL_TEXT(p,s)` and bit strings `BIT_TEXT(n)`.',
    '- Where an unbounded type meets a bounded one (PostgreSQL numeric or interval to MySQL), the default is',
    '  a faithful text form, not a silent narrowing; a plan may choose the narrower type and say `lossy`.',
    '- A type with no neutral equivalent (MySQL\'s spatial types; PostgreSQL\'s `xml`, `money`, geometric and',
    '  network types, PostGIS `geometry`, …) keeps its name between engines of one type system (PostgreSQL and',
    '  PGlite; MySQL and MariaDB, whose spatial columns and SPATIAL indexes are recreated, spatial references',
    '  included). Into another engine it is written as its text form into unbounded text — spatial values as',
    '  WKT, or PostGIS\'s extended WKT `SRID=4326;POINT(1 2)` when their spatial reference is not 0: there the',
    '  same name may be another type (MySQL\'s POINT prints `POINT(1 2)`, PostgreSQL\'s `point` reads `(1,2)`) or',
    '  none (`geometry` needs PostGIS). A plan rule may name another target type, e.g. `geometry -> geometry`',
    '  into a PostgreSQL with PostGIS, whose input reads both forms (not tested here).',
    '- MariaDB\'s `inet4`, `inet6` and `uuid` stay so into a MariaDB server that has them (10.5+, 10.7+, 10.10+);',
    '  into MySQL, which has none of them, they are `longtext` and `char(36)`.',
    '- SQL Server is a source only in this build. Its `time`, `datetime2` and `datetimeoffset` keep 7 fraction',
    '  digits (100 ns), PostgreSQL 6: at the default precision 7 no built-in rule applies and the plan must say',
    '  what to do with the seventh digit (`datetime2(7) -> timestamp(6) lossy` cuts it). `datetimeoffset` arrives in',
    '  UTC (the offset is not kept). `sql_variant` and CLR user types are refused (DMS3530). Into SQLite (and PGlite,',
    '  which uses the PostgreSQL rules) every column without a rule takes the fallback.',
    '- MySQL indexes TEXT and BLOB columns (where unbounded text lands) only by a prefix: a plain index on one',
    '  covers its first 191 characters (DMS3434); a key, unique index or foreign key on one is refused until a',
    '  type rule bounds the column, e.g. `column t.code: text -> varchar(255) lossy` (DMS3435).',
    '- A MySQL prefix index (`KEY (body(10))`) indexes whole values on another engine, except on PostgreSQL where a',
    '  whole value may not fit in a B-tree entry (2704 bytes: TEXT, BLOB, a long VARCHAR): there it indexes the',
    '  same prefix, `substr(body, 1, 10)`, as a whole-value index would fail to build on the first long value.',
    '- Text compares as on its source. Between MySQL servers a column keeps its collation and character set',
    '  (a case-insensitive unique key stays so; a latin1 column stays latin1). Where the target lacks it, the',
    '  column gets the nearest it has, as strict or stricter (MySQL 8\'s `utf8mb4_0900_ai_ci` → MariaDB\'s',
    '  `utf8mb4_uca1400_nopad_ai_ci`, and back), or the table\'s default (DMS3437 either way). Text from',
    '  another engine, which compares exactly there, gets MySQL\'s NO PAD',
    '  binary collation (`utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on MySQL 8) and not `utf8mb4_bin`,',
    '  under which `\'a\'` and `\'a \'` are one value of a unique key. MySQL 5.7 has no NO PAD collation.',
    '  An ENUM or SET whose labels its collation finds equal (`enum(\'B\',\'b\')` under a `_ci` one, made without',
    '  strict mode) gets its character set\'s `_bin` collation between MySQL servers (DMS3457).',
    '  Into another engine text compares exactly, so a MySQL foreign key that matched a child `ABC` (or `abc `)',
    '  to its parent `abc` under a `_ci` or PAD SPACE collation loses those child rows to the rejects table (DMS3459).',
    '- Oracle (a source only): NUMBER is decimal and stays exact (never a float); NUMBER(p) integers take the',
    '  smallest integer type holding p digits. DATE has a time of day: timestamp(0). Numbers arrive as the exact',
    '  digits the driver decodes; dates with fixed format models (`SYYYY-MM-DD HH24:MI:SS.FFn`), never through',
    '  the session\'s NLS settings or a JavaScript Date, so no zone or locale shifts them; TIMESTAMP WITH [LOCAL]',
    '  TIME ZONE is read in UTC (the zone region is not kept, as in PostgreSQL\'s timestamptz). BC years arrive',
    '  as PostgreSQL prints them (`0044-03-15 BC`), kept by PostgreSQL targets and rejected per row by others.',
    '  TIMESTAMP(7..9) and INTERVAL DAY TO SECOND(7..9) keep their exact text. XMLTYPE, JSON and SDO_GEOMETRY',
    '  are read as text (XMLSERIALIZE, JSON_SERIALIZE, WKT with `SRID=n;` when set — Oracle\'s SRID numbers).',
    '  Object types, VARRAYs, nested tables, ANYDATA and BFILE are refused at plan (DMS3530). Oracle stores',
    '  `\'\'` as NULL, so a source never has empty strings; an Oracle target, which would have to turn',
    '  another engine\'s empty strings into NULL, is not supported yet (DMS3551). Tested against the SQL',
    '  generated and the decoding of what Oracle prints; not against a real Oracle server (see',
    '  docs/architecture.md). Into MySQL, zoned timestamps are stored as UTC DATETIME and intervals as text',
    '  (MySQL TIME holds no months); into SQLite every Oracle column takes the fallback type.',
    '',
    '## Conversions',
    '',
    '| name | converts | what it does |',
    '|---|---|---|',
    ...CONVERSION_NAMES.map((name) => `| \`${name}\` | ${escape(CONVERSIONS[name].domain)} | ${escape(CONVERSIONS[name].summary)} |`),
    '',
  ];
  for (const [source, target] of PAIRS) {
    const blocks = builtinTypeRules(source, target);
    lines.push(`## ${source} → ${target}`, '', `From \`plans/types/${source}-to-${target}.dmsplan\`.`, '');
    const rules = blocks.flatMap((b) => b.rules);
    if (rules.length === 0) {
      // SQLite's declared types are free text it keeps as written (EngineTypes.keepsDeclaredTypes).
      lines.push(
        source === target && source === 'sqlite'
          ? 'No explicit rules: every column keeps its declared type verbatim (`INTEGER` stays `INTEGER`, so a rowid alias stays one; a column with no type stays without one; `ANY`, `VARCHAR(10)`, `NUMERIC` stay as written), so the target column has the same affinity as the source\'s, and every value is copied as SQLite stores it: its storage class and its bytes, not its canonical form under the declared type (text in an `INT` column, 500 characters in a `VARCHAR(10)`, a date written `2020-01-02T03:04:05Z` or as a number, an integer in a column with no type all arrive as they were). Only TEXT that is not UTF-8 is rejected, as everywhere.'
          : 'No explicit rules: every column takes the fallback (the target\'s most faithful type for its logical type).',
        '',
      );
      continue;
    }
    const withOthers = source === 'mysql' && target === 'postgres' || source === 'postgres' && target === 'mysql' || source === 'oracle' && target === 'postgres';
    lines.push(withOthers ? `| source type | target type | conversion | lossless? | ${source === 'oracle' ? 'ora2pg' : 'pgloader'} / AWS DMS |` : '| source type | target type | conversion | lossless? |');
    lines.push(withOthers ? '|---|---|---|---|---|' : '|---|---|---|---|');
    for (const rule of rules) {
      const text = describeRule(rule);
      const sourceText = `${describePattern(rule.pattern)}${text.includes(' where ') ? text.slice(text.indexOf(' where '), text.indexOf(' -> ')) : ''}`;
      const targetText = text.slice(text.indexOf(' -> ') + 4).replace(/ using \w+/, '').replace(/ lossy$/, '');
      const cells = [`\`${sourceText}\``, `\`${targetText}\``, `\`${rule.conversion ?? 'none'}\``, rule.lossy ? 'no (`lossy`)' : 'yes'];
      if (withOthers) cells.push(escape(OTHERS[`${source}:${describePattern(rule.pattern)}`] ?? ''));
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function typeMappingDocPath(): string {
  return path.resolve(preludeDirectory(), '../../docs/type-mapping.md');
}

export function writeTypeMappingDoc(): void {
  fs.writeFileSync(typeMappingDocPath(), renderTypeMappingDoc());
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
