import type { CodeInfo } from './types.js';

/** Codes of the checker's mapping rules (DMS34xx–DMS39xx; DMS30xx–DMS33xx are the type rules'). */
export const MAPPING_CODES: readonly CodeInfo[] = [
  {
    code: 'DMS3401',
    title: 'a map selects no table',
    explanation:
      'The `map` block\'s source selector matched no table of the source database. Check the schema and table patterns (they ignore case) against the tables the source has; `dmsplan init --from URL` lists them.\n\n```\nmap shop.Chinook.* -> dw.public.*    # the MySQL database is `Chinook`\n```',
  },
  {
    code: 'DMS3402',
    title: 'a table block names a table the map does not select',
    explanation:
      'A `table NAME { … }` block inside a `map` must name one of the tables the map selects. Fix the name (the message suggests the closest one) or widen the map\'s selection.',
  },
  {
    code: 'DMS3403',
    title: 'unknown column',
    explanation:
      'A `rename`, `drop`, `mask`, `column`, `chunk … by` or `where` names a column the source table does not have. Column names are the source\'s names, before renames and naming policies.',
  },
  {
    code: 'DMS3404',
    title: 'two source tables map to the same target table',
    explanation:
      'After renames and the naming policy, two tables would be written into one target table. Target table names are compared as the target engine compares them: MySQL and SQLite ignore case, so there a source\'s `Foo` and `foo` meet too; PostgreSQL and PGlite keep them apart. Rename one of them with `table Name -> new_name`, or use a `merge` block to combine them on purpose.',
  },
  {
    code: 'DMS3405',
    title: 'two columns map to the same target column',
    explanation: 'After renames, added columns and the naming policy, a target table would get two columns of the same name. Rename one.',
  },
  {
    code: 'DMS3406',
    title: 'foreign key dropped: the referenced table is not migrated, or its keys change meaning in a merge',
    explanation:
      'The source table has a foreign key to a table this plan does not copy (excluded, or outside the map), or it is a merged table whose foreign key cannot follow the referenced table\'s merged keys. The target gets the table without that foreign key. Include the referenced table to keep it; for a merge, merge the referenced table too, from the same endpoints in the same order (with the same tags where the key takes them along).',
  },
  {
    code: 'DMS3407',
    title: 'index or constraint not reproduced on this target',
    explanation:
      'An index part the target cannot express (an expression or prefix index across engines, a full-text or spatial index) or a check constraint written in another engine\'s SQL is not created on the target. The plan lists each one; create an equivalent by hand if you need it.',
  },
  {
    code: 'DMS3431',
    title: 'deferrable constraint checked at once on this target',
    explanation:
      'A primary key, unique key or foreign key declared `DEFERRABLE` on the source (PostgreSQL) keeps that on a PostgreSQL target, and a deferrable foreign key keeps it on SQLite. MySQL can defer no constraint, and SQLite no key: there the constraint is created and checked at the end of each statement. A deferrable primary key is also checked at once on PostgreSQL when the plan follows changes (`mode = cdc` or `full_load_and_cdc`): change capture upserts by the primary key, and `INSERT … ON CONFLICT` takes no deferrable key as its target. An application that relies on deferring it — inserting a child before its parent in one transaction, as Django does by default — needs its statements ordered on that target.',
  },
  {
    code: 'DMS3434',
    title: 'index on a prefix',
    explanation:
      'MySQL (InnoDB) indexes TEXT and BLOB columns only by a prefix of each value. A plain index from the source that includes such a column is created on its first 191 characters (bytes, for a BLOB): the index still finds every row, only its selectivity is the prefix\'s. To index whole values, bound the column\'s type with a type rule (e.g. `text -> varchar(255) lossy`).',
  },
  {
    code: 'DMS3435',
    title: 'key on a prefix-only column',
    explanation:
      'A primary key, unique key or unique index compares whole values, and a foreign key needs an index on its columns; MySQL (InnoDB) can index a TEXT or BLOB column only by a prefix, which would make two values that share the prefix collide (and refuses a foreign key on one). The plan is refused rather than change what the key means: bound the column with a type rule such as `column t.code: text -> varchar(255) lossy` (values longer than that are then rejected per row, with their key, into the rejects table).',
  },
  {
    code: 'DMS3480',
    title: 'an UNLOGGED table becomes an ordinary one',
    explanation:
      'A PostgreSQL `UNLOGGED` table is not written to the write-ahead log: faster to write, emptied after a crash, not replicated to standbys. Between PostgreSQL engines (PostgreSQL, PGlite) it stays UNLOGGED (the plan shows `unlogged` under the table). Other engines have no such tables: there it is an ordinary, durable table, and this warning says so. Nothing is lost; the table only keeps what the source would have thrown away after a crash.',
  },
  {
    code: 'DMS3481',
    title: 'a SET member that is the empty string is lost',
    explanation:
      "A MySQL `SET('', 'x')` column can hold the member `''` beside others, but MySQL gives a set as its members joined by commas, and drops the empty one: the set holding `''` and `'x'` reads `'x'`, exactly like the set holding `'x'` alone (only `column + 0`, the bit mask, tells them apart). dmsplan reads the text, so such rows arrive without the `''` member, on a MySQL target as on PostgreSQL (`{x}`, not `{\"\",x}`), and a checksum validation, reading the same text on both sides, does not notice. MySQL itself loses the member the same way when it copies the rows (`INSERT … SELECT`) or alters the column. The rows holding it are those where `c & N` is not 0, N being the member's bit (1 when `''` is the first member): decide on the source what they should hold before the load.",
  },
  {
    code: 'DMS3436',
    title: 'partitioned table copied as one',
    explanation:
      'A partitioned table is read through the parent (every partition\'s rows, at any depth; the partitions themselves are not mapped on their own). Between servers of one dialect its partitioning is made again: a PostgreSQL table on a PostgreSQL or PGlite target gets the same `PARTITION BY` and every partition under it (sub-partitions too) with the bounds the source prints, its keys and indexes made on the partitioned table (so on every partition), and the target routes the rows; a MySQL table keeps its `PARTITION BY` clause on a MySQL target (each partition InnoDB). This warning says when that is not done and the table becomes one plain table of the same name: into another engine; when a column is renamed or dropped (the partitioning names columns); or on PostgreSQL when a partition is a foreign table or lives in another schema than its table. The plan sizes such a table by its partitions\' rows and chunks it like any large table. To keep partitions anyway, create the partitioned table on the target first and apply with `prepare = do_nothing` (its columns must match); rows are then routed by the target.',
  },
  {
    code: 'DMS3438',
    title: 'table inheritance not kept',
    explanation:
      'A PostgreSQL table created with `INHERITS (parent)` is a table of its own that a query of its parent also returns (unless the query says `ONLY`). Each table of such a family is read as its own rows only — the parent with `ONLY` — so that every row is copied once, into the table it lives in, and each child keeps all its columns, the inherited ones included. A child the plan does not map is not copied, its rows included. The tables are created on the target without the inheritance, so a query of the parent there returns its own rows only: create them with `INHERITS` on the target first and apply with `prepare = do_nothing` or `truncate` to keep it (TRUNCATE of a parent also empties its children).',
  },
  {
    code: 'DMS3439',
    title: 'ON UPDATE CURRENT_TIMESTAMP not kept',
    explanation:
      'A MySQL `TIMESTAMP` or `DATETIME` column declared `ON UPDATE CURRENT_TIMESTAMP` is set to the current time by the server on every UPDATE of its row that does not set it. PostgreSQL and SQLite have no such column property: the column is created with its default (the current time on INSERT) and the copied values, but later UPDATEs on the target leave it as it is. Where the application relies on it, create a `BEFORE UPDATE` trigger on the target that sets it (PostgreSQL: `NEW.col := current_timestamp`).',
  },
  {
    code: 'DMS3440',
    title: 'NULL rule or action of a key not kept',
    explanation:
      'PostgreSQL 15 can make a unique key treat NULLs as equal (`UNIQUE NULLS NOT DISTINCT`: at most one row with NULLs), and a multi-column foreign key `MATCH FULL` requires its columns to be all NULL or none. A foreign key `ON DELETE SET NULL (b)` (or `SET DEFAULT (b)`, PostgreSQL 15) sets only the listed referencing columns when the referenced row is deleted. All are kept between PostgreSQL engines (NULLS NOT DISTINCT and column lists on a PostgreSQL 15 or later). MySQL and SQLite have none — their unique keys let any number of rows hold NULLs, they accept MATCH FULL without enforcing it, and their SET NULL sets every referencing column — so there the key or foreign key accepts rows the source would refuse, or a delete clears more than it would on the source. MySQL\'s and MariaDB\'s InnoDB do not enforce `ON DELETE` / `ON UPDATE SET DEFAULT` at all: such a foreign key is made `NO ACTION` there (and the plan lists it so), which refuses deleting or updating a referenced row that still has referencing rows. Add a CHECK constraint or a trigger on the target if that matters.',
  },
  {
    code: 'DMS3441',
    title: 'NOT NULL dropped for zero dates',
    explanation:
      'MySQL lets a NOT NULL DATE, DATETIME or TIMESTAMP column default to the zero date `0000-00-00`, and rows inserted without a value hold it. PostgreSQL and SQLite have no such date, and the default rules write zero dates as NULL (zero_dates_to_null). Such a column — NOT NULL with the zero date as its default — is therefore created without NOT NULL on the target, so those rows arrive (as NULL) instead of being rejected one by one. A NOT NULL date column with any other default stays NOT NULL; a zero date that turns up in it anyway becomes a rejected row in the rejects table.',
  },
  {
    code: 'DMS3442',
    title: 'extension type missing on the target',
    explanation:
      'A PostgreSQL column whose type comes with an extension (citext, hstore, ltree, PostGIS geometry, …) keeps that type on a PostgreSQL or PGlite target — which must then have the extension too, or the table cannot be created. The plan checks the target database\'s types and refuses before anything is changed. Create the extension on the target (`CREATE EXTENSION citext;`, as a user allowed to) and plan again, or map the column to a type the target has with a type rule, e.g. `column users.email: citext -> text` (citext\'s case-insensitive comparisons are then gone).',
  },
  {
    code: 'DMS3443',
    title: 'exclusion constraint not created',
    explanation:
      'A PostgreSQL `EXCLUDE` constraint (no two rows whose columns meet an operator, e.g. overlapping bookings of one room) is listed with its definition but not created on the target: it often needs an operator class from an extension (btree_gist) and an index type another engine does not have. On a PostgreSQL target, add it by hand once the load is done (`ALTER TABLE … ADD CONSTRAINT name EXCLUDE …`, as the warning spells it); elsewhere the application, a trigger or a unique key must hold the rule.',
  },
  {
    code: 'DMS3444',
    title: 'row-level security not made again',
    explanation:
      'A PostgreSQL table with row-level security enabled shows each user only the rows its policies allow. Between PostgreSQL servers (and onto PGlite) it is made again: every policy as the source defines it (permissive or restrictive, its command, its roles, its USING and WITH CHECK expressions), then ENABLE and, where the source has it, FORCE ROW LEVEL SECURITY — in a step of its own (`+ row-level security (…)` in the plan) that runs after every copy, validation and foreign key of the target, since those must see every row. dmsplan\'s PostgreSQL sessions run with `row_security = off`, so on a table whose policies bind dmsplan\'s user (FORCE on a target dmsplan owns without being a superuser or BYPASSRLS, under `full_load_and_cdc`) a query fails rather than see fewer rows. This warning says when that is not done and the table is created without the policies and without row-level security, so that whoever may read it there reads every row — the data is the same, who can see it is not: into another engine; when a column is renamed or dropped (the policies name columns); or when the target lacks a role a policy applies to (the warning names it; create it and plan again). Otherwise create the policies on the target (`CREATE POLICY`, `ALTER TABLE … ENABLE ROW LEVEL SECURITY`) before it is opened to other users.',
  },
  {
    code: 'DMS3445',
    title: 'user-defined type written as text',
    explanation:
      'Between PostgreSQL engines a column keeps its type, enums and domains over built-in types included (they are created on the target). A type the plan does not recreate — a composite type (`CREATE TYPE pair AS (a int, b text)`), an array of one, a domain over an enum — is written as its text form (`(1,q)`) into a text column instead: nothing is lost, but the column is text on the target. Create the type there and convert the column after the load if the application needs it.',
  },
  {
    code: 'DMS3570',
    title: 'a merged ENUM or SET takes the labels of every source',
    explanation:
      "The merged table takes its column types from a merge's first source. Where another source's ENUM or SET column has labels the first source's does not, the merged column gets them too — the first source's labels in their order, then each other source's new ones in `from` order — so that no row holding one is refused. The warning lists the labels added and where they come from. On PostgreSQL the order of the labels is the enum's sort order; to choose it, list first the source whose labels are in the order you want, or give the sources the same labels. An enum type kept on a PostgreSQL target from an earlier run gets the labels it lacks added at its end.",
  },
  {
    code: 'DMS3571',
    title: 'a merge source holds other values than the merged ENUM or SET',
    explanation:
      "The merged table takes its column types from a merge's first source. When that column is an ENUM or SET and another source's column of the same name is not (a text, say), that source's values outside the labels could not be stored, and a merge has no way to acknowledge that (a type rule cannot name the enum type the merge makes). List first a source whose column is the wider type — text holds every label — or make the column an ENUM/SET on every source.",
  },
  {
    code: 'DMS3446',
    title: 'merge source listed twice',
    explanation:
      'Each `from` of a merge is one copy of one source table, with its own chunks, checkpoints and validation; the same table twice (even with different tags) would be two copies the run cannot tell apart. List each table once.',
  },
  {
    code: 'DMS3447',
    title: 'a function or operator class the target lacks',
    explanation:
      'Between PostgreSQL engines, column defaults, generated columns, CHECK constraints, domains and index expressions are carried as the source wrote them. One that calls a function of the source database or of an extension — `uuid_generate_v4()` (uuid-ossp), `digest()` (pgcrypto), a function of your own — needs that function on the target, or the table cannot be created; so does an index whose column uses an extension\'s operator class (`gin_trgm_ops` of pg_trgm; indexes keep their operator classes between PostgreSQL engines). The source database\'s own functions of the schemas a map copies are made on the target before its tables (DMS3462 tells which are not), so they are not refused; an extension\'s function, or one of a schema the plan does not map, is: the plan compares the functions of both databases and refuses before anything changes. Create the extension on the target (`CREATE EXTENSION "uuid-ossp";`), map the function\'s schema, or create the function (`\\sf name` in psql shows its definition), and plan again.',
  },
  {
    code: 'DMS3460',
    title: 'views cannot be made again between these engines',
    explanation:
      '`views = recreate` makes each view the map selects again on the target, from the definition the source server prints (PostgreSQL: `pg_get_viewdef`; MySQL and MariaDB: information_schema.VIEWS). That query is SQL of the source\'s dialect, so it runs again only on an engine of the same dialect: PostgreSQL and PGlite, either way, or MySQL and MariaDB, either way. Between other engines (MySQL into PostgreSQL, say), write `views = include` to copy each view\'s rows into a table of its own, or `views = exclude` (the default) and write the view for the target by hand. A MySQL server gives no definition to a user without the SHOW VIEW privilege on the view: grant it to the user dmsplan reads as.',
  },
  {
    code: 'DMS3461',
    title: 'a view that cannot be made again',
    explanation:
      'A view\'s query names what it reads as the source does, so with `views = recreate` a view is made again only where each relation it reads stands on the target under the same schema and name (MySQL and MariaDB: under the same name, in whichever database the plan puts it — the query is written again naming the target\'s databases), with the columns the query reads: a table the plan copies there without renaming it or those columns, another view it makes again, or a table the target already has. It also needs the functions of the database\'s own that it calls: on the target already, or made by the plan (between PostgreSQL engines, those of the schemas it maps). A view that falls short is left out — listed as not migrated, with the reason — and so is every view that reads it; the rest of the plan goes on. Map what the view reads unrenamed into the same schema, create the function on the target, or create the view by hand after the load.',
  },
  {
    code: 'DMS3462',
    title: 'a function or trigger not made on the target',
    explanation:
      'Between PostgreSQL engines (PostgreSQL, PGlite) the source database\'s own functions and procedures in the schemas a map copies (not those an extension brings) are made on the target from their definitions (`pg_get_functiondef`), in the schema the map puts the tables in, before the tables whose defaults, checks and index expressions may call them — `+ function …` in the plan, `~` where the target has one of that signature defined otherwise, which CREATE OR REPLACE replaces. Their bodies are not checked when made (`check_function_bodies = off`: a SQL function may read a table made after it) and are kept as written, so a name the body qualifies with a renamed schema still names the source\'s. A copied table\'s triggers are made on its target table after its copy, validation and keys, so that none fires on a copied row (`+ trigger …` under the table). This warning says what is not made, listed as not migrated: aggregates and window functions (create them by hand: `CREATE AGGREGATE`); a function in a language other than SQL and PL/pgSQL (C, PL/Python…: the target may not have it, and every table waits for the functions the plan makes, so one that cannot be made would hold back the whole load); a SQL function with an SQL-standard body (`RETURN …`, `BEGIN ATOMIC`, PostgreSQL 14+), which is checked when made, before the tables it may read; a trigger under `mode = cdc` or `full_load_and_cdc`, where it would fire again on each change applied to the target (create it when the application moves there); a trigger of a table whose columns the map renames or drops (its function names them); a trigger whose function is in a schema the plan does not map and that the target lacks. Into MySQL, MariaDB, SQLite, SQL Server or Oracle nothing is made: functions, procedures and triggers are listed as not migrated.',
  },
  {
    code: 'DMS3520',
    title: 'a view\'s DEFINER that the target has no account for',
    explanation:
      'A MySQL or MariaDB view runs, under SQL SECURITY DEFINER (the default), with the privileges of its DEFINER account; made on a server without that account, every query of it fails ("The user specified as a definer does not exist"). With `views = recreate` the view keeps its DEFINER where the target has the account (among those information_schema.USER_PRIVILEGES shows to the user dmsplan connects as); otherwise it is made without a DEFINER clause, so the user dmsplan connects as becomes its definer, and this warning names the view and the account. SQL SECURITY, ALGORITHM and WITH CHECK OPTION are kept either way. To keep the definer, create the account on the target before `apply` and plan again: a view whose definer differs from the planned one is made again.',
  },
  {
    code: 'DMS3459',
    title: 'a foreign key that matched ignoring case on the source',
    explanation:
      'MySQL and MariaDB compare text under the column\'s collation, and so do their foreign keys: under a `_ci` collation a child value `ABC` matches the parent key `abc`, and under any PAD SPACE collation (all but the NO PAD ones and MySQL 8\'s `utf8mb4_0900_*`) `abc ` matches `abc`. PostgreSQL and SQLite compare the values exactly. Copied as they are, such child rows point at no parent row on the target, and when the foreign key is added they move to the rejects table (their reason says the source may have the parent only under its collation); the key is then created. Between MySQL servers the columns keep their collation and nothing changes. To keep those rows, make the child values equal to their parents\' on the source before the migration, or leave the foreign key out of the target.',
  },
  {
    code: 'DMS3458',
    title: 'a mask that does not fit its column',
    explanation:
      'A mask replaces a column\'s values after they are converted to the target type, so what it makes must be a value of that type. `hash` and `redact` make text — for a binary column (bytea, BLOB, VARBINARY), bytes: the SHA-256 digest of the value, or as many bytes `x` as it had — and `randomize_digits` changes the digits of text and numbers. On a date, timestamp, boolean, bit string, JSON, enum or any other type they would make values the target refuses (a hex hash in a BIT column, `6202-78-21` from a date, `xxxx` as JSON), and every row would be rejected; a literal on an enum column must be one of its labels, and a text literal must fit the column\'s length. The plan is refused instead. Mask such a column with a literal of its type or `null` (`mask born = date \'2000-01-01\'`), or map it to text first (`column NAME text`) and mask that.',
  },
  {
    code: 'DMS3457',
    title: 'ENUM or SET labels equal under their collation',
    explanation:
      'A MySQL or MariaDB ENUM or SET may have labels that its own collation finds equal — `enum(\'B\',\'b\')` under a case-insensitive `_ci` collation, or `\'e\'` and `\'é\'` under an accent-insensitive one — when the table was created without strict mode, which only warned. A server in strict mode (as every dmsplan session is) refuses to create such a column, and a value written as `b` would be stored as the first equal label, `B`. Between MySQL servers such a column therefore gets the binary collation of its character set (`utf8mb4_bin`), under which every label and value stays itself; comparisons on the column become case- and accent-sensitive. To keep it case-insensitive, make its labels distinct on the source (ALTER TABLE … MODIFY) before the migration.',
  },
  {
    code: 'DMS3456',
    title: 'a table no snapshot covers',
    explanation:
      'dmsplan reads a MySQL or MariaDB source in transactions that share one consistent snapshot, so every table and every chunk is read as of one moment even while applications keep writing. That holds for InnoDB tables only: MyISAM, Aria, MEMORY, CSV and other storage engines take no part in transactions, so each chunk of such a table is read as it is when that chunk is read. Rows written to it during the load may be copied in a state that does not match the other tables (a child row without its parent), a row whose key moves between chunks may be read twice or not at all, and `validate` compares against the table as it is later. The plan warns for each such table. Keep writers off it while the load runs (read from a read-only replica, or hold FLUSH TABLES … WITH READ LOCK in a session of your own), or convert it on the source first (`ALTER TABLE … ENGINE=InnoDB`). A MySQL target creates the table with its default storage engine (InnoDB).',
  },
  {
    code: 'DMS3454',
    title: 'an ENUM or SET label the target would change',
    explanation:
      'MySQL and MariaDB delete trailing spaces from the labels of an ENUM or SET column when they create the table: a PostgreSQL enum label `\'x \'` becomes `\'x\'`, and the values holding it arrive as `x` (or the table cannot be created where two labels then meet). `plan` refuses such a column before anything is created. Keep its values as text with a type rule, e.g. `column orders.state: enum -> varchar(255)` in a `types postgres -> mysql` block (the labels are then no longer enforced), or rename the label on the source.',
  },
  {
    code: 'DMS3453',
    title: 'a name the target cannot hold',
    explanation:
      'PostgreSQL and SQLite take any character in a quoted name. MySQL and MariaDB do not: a name (of a database, table, column, index or constraint) may hold characters of the Unicode Basic Multilingual Plane only — an emoji or another character past U+FFFF is refused (error 1300) — and may not end with a space (errors 1102, 1103, 1166, 1280). `plan` reports such a name before anything is created, instead of a failed CREATE TABLE during apply. Rename a table or column in its table block (`table "Data 📈" -> data { rename "Zoom 🔍" -> zoom }`), or rename an index or constraint on the source.',
  },
  {
    code: 'DMS3452',
    title: 'source rows hidden by row-level security',
    explanation:
      'A PostgreSQL table with row-level security shows a user only the rows its policies allow — unless the user owns the table (and it is not `FORCE ROW LEVEL SECURITY`), is a superuser, or has `BYPASSRLS`. Read by such a user, the copy would leave the other rows out, and the validation would not notice: its counts and checksums read through the same policies. `plan` refuses a mapped table the source user reads through row-level security. Read the source as the table\'s owner, a superuser or a role with BYPASSRLS (`ALTER ROLE reader BYPASSRLS`), or leave the table out of the map. Should the policies change between `plan` and `apply`, the reads refuse to run rather than return fewer rows: dmsplan reads PostgreSQL sources with `row_security = off`, as pg_dump does.',
  },
  {
    code: 'DMS3451',
    title: 'a table too wide for a MySQL target',
    explanation:
      'MySQL and MariaDB refuse to create some wide tables: InnoDB takes at most 1,017 columns; a row may take at most 65,535 bytes, counting each CHAR and VARCHAR column at its longest (4 bytes a character in utf8mb4, the character set dmsplan creates text in) and a TEXT or BLOB column by its pointer only; and with `innodb_strict_mode` on (the default) InnoDB must fit a row in half a 16 KB page, 8,126 bytes, counting a string of up to 255 bytes whole and a longer one, TEXT or BLOB by the 20 bytes left in the row when the value moves off the page. `plan` counts each column at the least the server does and reports a table over one of these limits before any table is created: an error for the first two, which no setting lifts, a warning for the third. Leave out columns the target does not need (`drop` in a table block), split the table, or make wide VARCHAR columns TEXT with a type rule (`column wide.*: varchar -> text`). A table `plan` lets through may still be refused by the server\'s own, fuller count when apply creates it.',
  },
  {
    code: 'DMS3450',
    title: 'a target database in a narrower encoding',
    explanation:
      'A PostgreSQL database has one encoding for all its text. In LATIN1, WIN1252 or another single-byte encoding, a value with a character outside it (an emoji, Cyrillic in a LATIN1 database, €) cannot be stored: the server refuses the row, and dmsplan puts it in the rejects table with the server\'s reason, the rest of its chunk loading. The plan says so once per target, unless every source writing text into it has the same encoding. To keep every character, create the target database in UTF8 (`CREATE DATABASE … ENCODING \'UTF8\' TEMPLATE template0`). SQL_ASCII databases store any bytes and are not reported.',
  },
  {
    code: 'DMS3449',
    title: 'a system-versioned table loses its history',
    explanation:
      'A MariaDB table `WITH SYSTEM VERSIONING` keeps every past version of its rows beside the current ones; a plain query, and so the copy, returns the current rows only. The target table is created without versioning (other engines have none; between MariaDB servers the history could not be written back with its original periods). Add versioning on a MariaDB target after apply (`ALTER TABLE … ADD SYSTEM VERSIONING`) to keep history from then on; keep the source if the past versions matter.',
  },
  {
    code: 'DMS3448',
    title: 'an INVISIBLE column becomes visible',
    explanation:
      'MySQL (8.0.23+) and MariaDB (10.3+) columns can be INVISIBLE: `SELECT *` leaves them out, and an INSERT without a column list does not expect a value for them. Between MySQL servers they stay INVISIBLE. PostgreSQL and SQLite have no such columns, so there the column is an ordinary one: its values are copied, but `SELECT *` returns it and an INSERT without a column list now needs a value for it. Name the columns in such statements on the target, or leave the column out of the migration with `drop` in a table block.',
  },
  {
    code: 'DMS3437',
    title: 'collation not on the target',
    explanation:
      'A PostgreSQL column with a collation of its own (`COLLATE "C"`, an ICU or libc locale) keeps it on a PostgreSQL or PGlite target — when the target has a collation of that name. PGlite has only a few (C, POSIX, en_US, und-x-icu, unicode, …), and servers differ in the locales they were built and installed with. Where the target lacks it, the column gets the target\'s default collation, which may sort and compare differently (a case-insensitive ICU collation becomes case-sensitive, so two values a unique key treated as equal become distinct). Create the collation on the target and plan again to keep it. Between MySQL servers every text column keeps its collation (and its character set) where the target has it; MySQL 8\'s utf8mb4_0900_* collations are not in MariaDB before 11.4, nor MariaDB\'s utf8mb4_uca1400_* in MySQL: such a column gets the nearest collation the target has, of the same case and accent sensitivity where there is one and never one that makes distinct values equal (utf8mb4_0900_ai_ci → utf8mb4_uca1400_nopad_ai_ci, else utf8mb4_unicode_520_nopad_ci), or else the table\'s utf8mb4_bin, which is case-sensitive. The warning names what it gets. A SQLite column declared `COLLATE NOCASE` (or RTRIM) keeps it between SQLite databases; into another engine it compares exact values (PostgreSQL, PGlite and MySQL have no NOCASE), so a unique key on it takes \'a\' beside \'A\', which SQLite refused: the warning says so and names the keys. Give the column a case-blind collation on the target after apply if comparisons must stay case-blind (PostgreSQL: a nondeterministic ICU collation), or index `lower(column)`.',
  },
  {
    code: 'DMS3433',
    title: 'table without columns',
    explanation:
      'PostgreSQL allows a table with no columns (and even rows in it: each is just there). MySQL and SQLite tables need at least one column, so such a table — or one whose columns a table block drops — cannot be created there. Exclude it from the map, or `add` a column to it in a table block.',
  },
  {
    code: 'DMS3432',
    title: 'domain not carried',
    explanation:
      'A PostgreSQL column declared with a domain keeps it on a PostgreSQL target when its type is copied unchanged: the plan creates the domain in the table\'s schema (same name, base type, `DEFAULT`, `NOT NULL` and `CHECK` constraints) and declares the column with it. On another engine, or when a type rule, a conversion or a mask changes the column, the column gets the target type alone and the domain\'s constraints are not created; the warning lists them. A domain over an array (`CREATE DOMAIN tags AS text[] CHECK (…)`) is not recreated even on PostgreSQL: the column gets the array type, with the same warning.',
  },
  {
    code: 'DMS3408',
    title: 'default value not carried',
    explanation:
      'A column default written as an engine-specific expression cannot be translated to the target engine, or a literal default is not a value of the target column: it goes through the column\'s conversion and the target type\'s limits like the rows do, and a literal that is too long, out of range, or becomes NULL there (a MySQL zero date under zero_dates_to_null) is not carried. Between MariaDB servers a default that draws from a sequence (`DEFAULT NEXTVAL(seq)`, which names the source database\'s sequence) is not carried either: the plan does not create the sequence, and the target\'s inserts would otherwise draw from the source\'s. The column is created without a default; values already in the rows are copied exactly. Set a default on the target by hand if new rows need one.',
  },
  {
    code: 'DMS3409',
    title: 'generated column copied as a plain column',
    explanation:
      'A generated (computed) column\'s expression is in the source engine\'s SQL. Between engines of one dialect (PostgreSQL and PGlite; MySQL and MariaDB) it stays generated — created with its expression, never written, computed by the target — as long as no column of the table is renamed or dropped (the expression names them). Elsewhere its values are copied into a plain column, so no data is lost, but the target does not recompute it for rows it takes later.',
  },
  {
    code: 'DMS3410',
    title: 'the source or target database could not be read',
    explanation:
      'The checker needs the catalog of every endpoint the plan names. Fix the connection (URL in the environment variable named, server up, credentials) and run `dmsplan plan` again.',
  },
  {
    code: 'DMS3411',
    title: 'engine not supported in this build',
    explanation: 'The plan names an engine whose driver this version of dmsplan does not ship yet. `dmsplan validate` checks such a plan; `plan` and `apply` need the engine.',
  },
  {
    code: 'DMS3412',
    title: 'table without a usable key',
    explanation:
      'The table has no primary key and no unique key on non-null columns. It is copied in one piece (one transaction), which cannot be resumed in part, unless a `chunk … by COLUMN` rule names a column to split it by. A rejected row has no key to name it: the rejects table identifies it by its values instead (`row_key` = `name=value` of every column read, each value cut at 100 characters). Add a primary key on the source if you can.',
  },
  {
    code: 'DMS3413',
    title: 'identifier too long for the target',
    explanation:
      'A target name is longer than the target engine allows (PostgreSQL: 63 bytes, MySQL: 64). It is shortened with a hash suffix so distinct names stay distinct; rename it in the plan to choose the name yourself.',
  },
  {
    code: 'DMS3420',
    title: 'a merge source names a table the source does not have',
    explanation: 'Each `from ENDPOINT.SCHEMA.TABLE` of a `merge` must name an existing table of that source (names ignore case). The message suggests the closest name.',
  },
  {
    code: 'DMS3421',
    title: 'a merge key column is neither a column nor a tag',
    explanation: 'The `key (…)` of a merge lists the columns of the merged primary key: tag columns and columns of the source tables.\n\n```\nmerge customers into crm.crm.customer {\n  from eu.shop.customers tag region = \'eu\'\n  from us.shop.customers tag region = \'us\'\n  key (region, id)\n}\n```',
  },
  {
    code: 'DMS3422',
    title: 'unique keys are not created on a merged table',
    explanation: 'A unique key of the source tables (an e-mail, a code) is unique within one source, not across sources: two shops may share a value. The merged table gets the merge key as its primary key and no other unique key.',
  },
  {
    code: 'DMS3423',
    title: 'merge sources have different columns',
    explanation: 'Every source of a merge must have the same columns (names compared ignoring case; types may differ and are converted into the first source\'s target types). Merge views with the same shape, or map the tables separately.',
  },
  {
    code: 'DMS3424',
    title: 'merge key not possible as written',
    explanation:
      'What a merge cannot do in this version:\n\n- `strategy = surrogate` makes **one** new 64-bit key column: `key (id)` names either the sources\' own single-column primary key (the new key takes its name and the source value is kept as `source_id`) or a column name the sources do not have (a new column beside the source key columns). Several key columns, a column that is not the primary key, or a `source_<key>` name already taken are refused.\n- `strategy = surrogate`, and `on_conflict = keep_first | keep_last | rejects_table` on an offset merge, are decided by `apply` for the full load; with `mode = cdc` or `full_load_and_cdc` captured changes would not go through them, so such a plan is refused. Use `composite` or non-overlapping offsets to follow changes.\n\n```\nmerge customers into crm.crm.customers {\n  from eu.shop.customers tag region = \'eu\'\n  from us.shop.customers tag region = \'us\'\n  key (id)\n  strategy = surrogate\n}\n```',
  },
  {
    code: 'DMS3425',
    title: 'merge sources cannot be told apart',
    explanation:
      'Every source needs a tag, and no two sources may have the same tag values, when the merge has to tell its sources\' rows apart in the target: with `strategy = composite` (the tag is part of the merged key), `strategy = surrogate` (each source is validated against the rows with its tag), and `strategy = offset` with `on_conflict = keep_first | keep_last | rejects_table` (shifted key ranges overlap, so only the tag says which source a row came from).\n\n```\nmerge customers into crm.crm.customer {\n  from eu.shop.customers tag region = \'eu\'\n  from us.shop.customers tag region = \'us\' offset 1000\n  key (id)\n  strategy    = offset\n  on_conflict = keep_first\n}\n```',
  },
  {
    code: 'DMS3426',
    title: 'merged keys can collide',
    explanation: 'With `strategy = offset`, each source\'s key range after its offset must not overlap another\'s: `plan` reads the smallest and largest key of every source; where two shifted ranges overlap it counts the keys that actually collide (with examples) and names an offset that would separate the sources. With `on_conflict = reject` (the default) nothing is copied while keys can collide; set `on_conflict = keep_first`, `keep_last` or `rejects_table` to let `apply` decide each colliding key instead (DMS3429).',
  },
  {
    code: 'DMS3429',
    title: 'merged keys collide; on_conflict decides',
    explanation:
      'An offset merge whose shifted key ranges overlap, with `on_conflict` other than `reject`. `plan` counts the colliding keys (with examples); `apply` reads the keys of the overlapping ranges again from the snapshot it copies and, for every key more than one source holds, loads one version and sends the others to the rejects table (`_dmsplan.rejects`, with the key and a reason naming the other sources and the policy):\n\n- `keep_first`: the row of the first source (in `from` order) that has the key is loaded;\n- `keep_last`: the row of the last source that has it is loaded;\n- `rejects_table`: no version is loaded, every one goes to the rejects table.\n\nNo row is lost: validation counts each source\'s rows as loaded + rejected.',
  },
  {
    code: 'DMS3430',
    title: 'merge key does not keep rows apart',
    explanation:
      'The merge key must make every merged row unique by construction, or building the merged table\'s primary key would fail after the copy:\n\n- `strategy = composite`: the key holds every tag column and every column of the sources\' primary key (`key (region, id)`); a key without the tag lets two sources\' rows share it, a key without a primary key column lets two rows of one source share it.\n- `strategy = offset`: apart from tag columns, the key is the sources\' primary key, and that is one integer column (the one shifted by each source\'s `offset`).\n\n```\nmerge customers into crm.crm.customer {\n  from eu.shop.customers tag region = \'eu\'\n  from us.shop.customers tag region = \'us\'\n  key (region, id)\n}\n```',
  },
  {
    code: 'DMS3427',
    title: 'merge source without a primary key',
    explanation: 'A merged table is keyed by the merge key built from each source\'s primary key. A source table without one cannot be merged safely.',
  },
  {
    code: 'DMS3428',
    title: 'identity not carried',
    explanation: 'The source column generates its values (auto-increment, identity, serial) but its faithful target type cannot: MySQL `bigint unsigned` becomes `numeric(20, 0)` on PostgreSQL, which has no identity. The values are copied exactly; new rows written on the target need explicit values. A MySQL table has at most one AUTO_INCREMENT column: of a PostgreSQL table with several identity or serial columns, the primary key\'s (else the first) keeps it there and the others become plain columns, with the same warning. SQLite generates values only in the column that is the whole primary key (`INTEGER PRIMARY KEY AUTOINCREMENT`): an identity or serial column anywhere else becomes a plain column there, with the same warning. A rule with the `auto_increment` guard keeps an identity if you accept the narrowing:\n\n```\ntypes mysql -> postgres {\n  bigint unsigned auto_increment -> bigint lossy\n}\n```',
  },
  {
    code: 'DMS3551',
    title: 'an engine in a role it cannot have yet',
    explanation:
      'This build supports the engine, but not as what the plan makes it. Oracle is a source only: dmsplan reads Oracle databases (full loads into PostgreSQL, PGlite, MySQL/MariaDB or SQLite) and does not write them yet — there is no Oracle writer, control schema or run lock. `plan` says so before connecting to anything. Migrate from Oracle into one of the other engines instead.',
  },
  {
    code: 'DMS3530',
    title: 'a source column of a type dmsplan cannot read',
    explanation:
      'No value of the column can be read faithfully: SQL Server\'s `sql_variant` holds a value of another type in each row (its base type travels with it), and a CLR user-defined type, a table type or a type newer than this build (`vector`, `json` of SQL Server 2025) is not one dmsplan knows. On Oracle, object types, VARRAYs, nested tables, ANYDATA and BFILE (a pointer to a file outside the database) have no reader. Such a column is refused rather than copied as something else, or the table copied without it, silently. Drop it in the plan and move its values by hand, or on the source change the column to a type of its own (`ALTER TABLE T ALTER COLUMN col nvarchar(4000)` on SQL Server):\n\n```\nmap ora.HR.* -> pg.hr.* {\n  table EMPLOYEES {\n    drop ADDRESS\n  }\n}\n```',
  },
  {
    code: 'DMS3531',
    title: 'engine cannot play this role yet',
    explanation:
      'The engine is supported, but not in the role the endpoint gives it. SQL Server is a source only in this build: reading a SQL Server database into PostgreSQL, MySQL, SQLite or PGlite works, writing into SQL Server (as a target, SQL Server → SQL Server included) is not built yet, and `plan` refuses such a target before connecting to it.',
  },
];
