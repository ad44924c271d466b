/**
 * A MySQL / MariaDB view's query as the server prints it (information_schema.VIEWS.VIEW_DEFINITION):
 * what it reads and which schemas it names, found from its backquoted names — MariaDB 10.11 has no
 * VIEW_TABLE_USAGE. The printed form is regular: a table is `db`.`t` (an alias after it: `db`.`t`
 * `a`), a column `db`.`t`.`c` or `a`.`c`, a stored function `f`(…) in the view's own database or
 * `db`.`f`(…) in another; strings are '…' with \ and '' escapes. Pure: no I/O.
 */

/** A run of backquoted names joined by dots (`db`.`t`.`c`), with where each name stands in the text. */
interface NameChain {
  readonly parts: readonly string[];
  /** Start and end offsets of each part (backquotes included). */
  readonly spans: readonly (readonly [number, number])[];
  /** Followed at once by `(`: a function call. */
  readonly call: boolean;
  /** The backquoted name right after it, past one space (`db`.`t` `a`: the alias a), if any. */
  readonly next: string | undefined;
}

function readQuoted(text: string, at: number, quote: string): { readonly value: string; readonly end: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (quote === "'" && ch === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  return { value, end: text.length };
}

function nameChains(query: string): NameChain[] {
  const chains: NameChain[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (ch === "'" || ch === '"') {
      i = readQuoted(query, i, ch).end;
      continue;
    }
    if (ch !== '`') {
      i++;
      continue;
    }
    const parts: string[] = [];
    const spans: (readonly [number, number])[] = [];
    let end = i;
    for (;;) {
      const name = readQuoted(query, end, '`');
      parts.push(name.value);
      spans.push([end, name.end]);
      end = name.end;
      if (query[end] === '.' && query[end + 1] === '`') end++;
      else break;
    }
    const following = query[end] === ' ' && query[end + 1] === '`' ? readQuoted(query, end + 1, '`').value : undefined;
    chains.push({ parts, spans, call: query[end] === '(', next: following });
    i = end;
  }
  return chains;
}

export interface MysqlViewReads {
  /** Tables and views the query reads, with the columns it names of each. */
  readonly reads: readonly { readonly schema: string; readonly name: string; readonly columns: readonly string[] }[];
  /** Stored functions it calls, as `schema.name` (an unqualified call is to the view's own database). */
  readonly functions: readonly string[];
}

/**
 * What a view's query reads. `isSchema` tells a database of the server from an alias: `x`.`y`
 * is a table y of database x unless x is an alias or CTE the query declares.
 */
export function mysqlViewReads(query: string, viewSchema: string, isSchema: (name: string) => boolean): MysqlViewReads {
  const chains = nameChains(query);
  const aliases = new Map<string, string>(); // alias → `schema\0table`
  const tables = new Map<string, { schema: string; name: string; columns: Set<string> }>();
  const declared = new Set(declaredNames(query, chains));
  const functions = new Set<string>();
  for (const c of chains) {
    if (c.call) {
      if (c.parts.length === 1) functions.add(`${viewSchema}.${c.parts[0]}`);
      else if (c.parts.length === 2) functions.add(`${c.parts[0]}.${c.parts[1]}`);
      continue;
    }
    if (c.parts.length === 2 && !declared.has(c.parts[0]!) && isSchema(c.parts[0]!)) {
      const [schema, name] = c.parts as [string, string];
      const key = `${schema}\u0000${name}`;
      if (!tables.has(key)) tables.set(key, { schema, name, columns: new Set() });
      if (c.next !== undefined) aliases.set(c.next, key);
    }
  }
  for (const c of chains) {
    if (c.call) continue;
    if (c.parts.length === 3) tables.get(`${c.parts[0]}\u0000${c.parts[1]}`)?.columns.add(c.parts[2]!);
    if (c.parts.length === 2) {
      const owner = aliases.get(c.parts[0]!) ?? [...tables.keys()].find((k) => k.endsWith(`\u0000${c.parts[0]}`) && !aliases.has(c.parts[0]!));
      if (owner) tables.get(owner)!.columns.add(c.parts[1]!);
    }
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const reads = [...tables.values()].map((t) => ({ schema: t.schema, name: t.name, columns: [...t.columns].sort(byText) })).sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
  return { reads, functions: [...functions].sort(byText) };
}

/**
 * The query with the databases it names changed to those on the target: `where(schema, name)` gives
 * the target database of a table, view or function the query names as schema.name (undefined: kept).
 * Only the names `reads` found are touched: a column `x`.`y` of an alias x stays as it is.
 */
export function retargetMysqlViewQuery(query: string, found: MysqlViewReads, where: (schema: string, name: string) => string | undefined): string {
  const chains = nameChains(query);
  const declared = new Set(declaredNames(query, chains));
  const relations = new Set(found.reads.map((r) => `${r.schema}\u0000${r.name}`));
  const functions = new Set(found.functions);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const c of chains) {
    const [first, second] = [c.parts[0]!, c.parts[1]];
    if (second === undefined) continue;
    const named = c.call ? c.parts.length === 2 && functions.has(`${first}.${second}`) : relations.has(`${first}\u0000${second}`) && (c.parts.length === 3 || (c.parts.length === 2 && !declared.has(first)));
    if (!named) continue;
    const to = where(first, second);
    if (to === undefined || to === first) continue;
    const [start, end] = c.spans[0]!;
    edits.push({ start, end, text: `\`${to.replace(/`/g, '``')}\`` });
  }
  let out = query;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * The query with each call of a stored function of the view's own database (printed unqualified:
 * `f`(…)) naming `schema`: CREATE VIEW resolves such a call in the session's current database, not
 * in the view's, and fails ("FUNCTION f does not exist") where the session has another or none.
 */
export function qualifyMysqlViewCalls(query: string, schema: string): string {
  let out = query;
  for (const c of nameChains(query).filter((x) => x.call && x.parts.length === 1).reverse()) {
    const [start] = c.spans[0]!;
    out = `${out.slice(0, start)}\`${schema.replace(/`/g, '``')}\`.${out.slice(start)}`;
  }
  return out;
}

/** Aliases, derived tables and CTEs the query declares: `x`.`y` with such an x names a column. */
function declaredNames(query: string, chains: readonly NameChain[]): string[] {
  const out = chains.filter((c) => c.parts.length === 2 && !c.call && c.next !== undefined).map((c) => c.next!);
  // CTE names are printed bare (`with c as (`); derived tables get a backquoted alias after `)`.
  for (const m of query.matchAll(/(?:\bwith(?:\s+recursive)?|,)\s*`?([A-Za-z0-9_$]+)`?\s*(?:\([^()]*\)\s*)?as\s*\(/gi)) out.push(m[1]!);
  for (const m of query.matchAll(/\) `((?:[^`]|``)+)`/g)) out.push(m[1]!.replace(/``/g, '`'));
  return out;
}
