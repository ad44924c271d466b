/**
 * What the pragmas do not tell and only a table's CREATE statement (sqlite_master.sql) does:
 * constraint names, CHECK expressions, AUTOINCREMENT, generated-column expressions and collations.
 * A small tokenizer splits the column list at top-level commas; each part is a column definition
 * or a table constraint. It never throws: text it cannot follow just yields fewer facts.
 */
import type { Deferrable } from '../../schema/catalog.js';

interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** Identifier value (unquoted) for words and quoted names; the raw text otherwise. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export function tokenizeSql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === '"' || c === '`' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j];
        j++;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value, start: i, end: Math.min(j + 1, sql.length) });
      i = j + 1;
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      const end = close < 0 ? sql.length : close;
      tokens.push({ kind: 'quoted', value: sql.slice(i + 1, end), start: i, end: end + 1 });
      i = end + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else if (/[0-9.]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[0-9A-Za-z_.]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'number', value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

export interface ColumnFacts {
  readonly name: string;
  readonly autoincrement: boolean;
  readonly primaryKeyName: string | undefined;
  readonly collation: string | undefined;
  readonly generated: { readonly expression: string; readonly stored: boolean } | undefined;
  readonly checks: readonly { readonly name: string | undefined; readonly expression: string }[];
  /** Column-level REFERENCES with a CONSTRAINT name. */
  readonly foreignKeyName: string | undefined;
  /** Column-level REFERENCES declared DEFERRABLE (pragma foreign_key_list does not say). */
  readonly foreignKeyDeferrable?: Deferrable;
  readonly uniqueName: string | undefined;
}

export interface TableConstraintFacts {
  readonly kind: 'primary_key' | 'unique' | 'check' | 'foreign_key';
  readonly name: string | undefined;
  readonly columns: readonly string[];
  readonly expression: string | undefined;
  /** A FOREIGN KEY declared DEFERRABLE. */
  readonly deferrable?: Deferrable;
}

/**
 * The DEFERRABLE clause at `at` (SQLite's grammar): `DEFERRABLE INITIALLY DEFERRED` waits for the
 * commit; `DEFERRABLE` alone or `INITIALLY IMMEDIATE` checks at once, as `NOT DEFERRABLE` does.
 */
function deferrableAt(tokens: readonly Token[], at: number): Deferrable | undefined {
  if (isWord(tokens[at - 1], 'NOT')) return undefined;
  return isWord(tokens[at + 1], 'INITIALLY') && isWord(tokens[at + 2], 'DEFERRED') ? 'initially_deferred' : 'initially_immediate';
}

export interface CreateTableFacts {
  readonly columns: readonly ColumnFacts[];
  readonly constraints: readonly TableConstraintFacts[];
  readonly withoutRowid: boolean;
  /** `STRICT`: every value must have its column's type (ANY: whatever it is, never coerced). */
  readonly strict: boolean;
}

const isWord = (t: Token | undefined, word: string): boolean => t !== undefined && t.kind === 'word' && t.value.toUpperCase() === word;
const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.value === p;
const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'word' || t.kind === 'quoted' || t.kind === 'string');

const CONSTRAINT_STARTS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

/** Index of the token closing the parenthesis opened at `open`, or tokens.length. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length;
}

/** The source text between two parentheses tokens (exclusive). */
function innerText(sql: string, tokens: readonly Token[], open: number, close: number): string {
  const from = tokens[open]!.end;
  const to = close < tokens.length ? tokens[close]!.start : sql.length;
  return sql.slice(from, to).trim();
}

function nameList(tokens: readonly Token[], open: number, close: number): string[] {
  const names: string[] = [];
  let expectName = true;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (isPunct(t, ',')) expectName = true;
    else if (expectName && isName(t)) {
      names.push(t.value);
      expectName = false;
    }
  }
  return names;
}

export function parseCreateTable(sql: string): CreateTableFacts {
  const tokens = tokenizeSql(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  if (open < 0) return { columns: [], constraints: [], withoutRowid: false, strict: false };
  const close = closing(tokens, open);
  const after = tokens.slice(close + 1);
  const withoutRowid = after.some((t, i) => isWord(t, 'WITHOUT') && isWord(after[i + 1], 'ROWID'));
  const strict = after.some((t) => isWord(t, 'STRICT'));

  // Split the column list at top-level commas.
  const parts: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isPunct(t, ',')) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  parts.push([start, close]);

  const columns: ColumnFacts[] = [];
  const constraints: TableConstraintFacts[] = [];
  for (const [from, to] of parts) {
    if (from >= to) continue;
    const first = tokens[from]!;
    if (first.kind === 'word' && CONSTRAINT_STARTS.has(first.value.toUpperCase())) {
      const c = tableConstraint(sql, tokens, from, to);
      if (c) constraints.push(c);
    } else if (isName(first)) {
      columns.push(columnDefinition(sql, tokens, from, to));
    }
  }
  return { columns, constraints, withoutRowid, strict };
}

function tableConstraint(sql: string, tokens: readonly Token[], from: number, to: number): TableConstraintFacts | undefined {
  let i = from;
  let name: string | undefined;
  if (isWord(tokens[i], 'CONSTRAINT') && isName(tokens[i + 1])) {
    name = tokens[i + 1]!.value;
    i += 2;
  }
  const word = tokens[i]?.value.toUpperCase();
  const parenAt = (k: number) => (k < to && isPunct(tokens[k], '(') ? k : -1);
  if (word === 'PRIMARY' || word === 'UNIQUE' || word === 'FOREIGN') {
    const p = parenAt(word === 'UNIQUE' ? i + 1 : i + 2);
    if (p < 0) return undefined;
    const kind = word === 'PRIMARY' ? 'primary_key' : word === 'UNIQUE' ? 'unique' : 'foreign_key';
    const close = closing(tokens, p);
    let deferrable: Deferrable | undefined;
    if (kind === 'foreign_key') for (let k = close + 1; k < to; k++) if (isWord(tokens[k], 'DEFERRABLE')) deferrable = deferrableAt(tokens, k);
    return { kind, name, columns: nameList(tokens, p, close), expression: undefined, ...(deferrable ? { deferrable } : {}) };
  }
  if (word === 'CHECK') {
    const p = parenAt(i + 1);
    if (p < 0) return undefined;
    return { kind: 'check', name, columns: [], expression: innerText(sql, tokens, p, closing(tokens, p)) };
  }
  return undefined;
}

function columnDefinition(sql: string, tokens: readonly Token[], from: number, to: number): ColumnFacts {
  const name = tokens[from]!.value;
  let autoincrement = false;
  let primaryKeyName: string | undefined;
  let foreignKeyName: string | undefined;
  let foreignKeyDeferrable: Deferrable | undefined;
  let uniqueName: string | undefined;
  let collation: string | undefined;
  let generated: ColumnFacts['generated'];
  const checks: { name: string | undefined; expression: string }[] = [];
  let constraintName: string | undefined;
  for (let i = from + 1; i < to; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) {
      i = closing(tokens, i); // type parameters or a DEFAULT (expr): nothing to learn inside
      continue;
    }
    if (t.kind !== 'word') continue;
    switch (t.value.toUpperCase()) {
      case 'CONSTRAINT':
        constraintName = isName(tokens[i + 1]) ? tokens[i + 1]!.value : undefined;
        i++;
        break;
      case 'PRIMARY':
        primaryKeyName = constraintName;
        constraintName = undefined;
        break;
      case 'UNIQUE':
        uniqueName = constraintName;
        constraintName = undefined;
        break;
      case 'REFERENCES':
        foreignKeyName = constraintName;
        constraintName = undefined;
        break;
      case 'AUTOINCREMENT':
        autoincrement = true;
        break;
      case 'DEFERRABLE':
        foreignKeyDeferrable = deferrableAt(tokens, i);
        break;
      case 'COLLATE':
        if (isName(tokens[i + 1])) collation = tokens[i + 1]!.value;
        i++;
        break;
      case 'CHECK':
        if (isPunct(tokens[i + 1], '(')) {
          const close = closing(tokens, i + 1);
          checks.push({ name: constraintName, expression: innerText(sql, tokens, i + 1, close) });
          constraintName = undefined;
          i = close;
        }
        break;
      case 'AS':
        if (isPunct(tokens[i + 1], '(')) {
          const close = closing(tokens, i + 1);
          const stored = isWord(tokens[close + 1], 'STORED');
          generated = { expression: innerText(sql, tokens, i + 1, close), stored };
          i = close;
        }
        break;
      case 'DEFAULT':
        // DEFAULT -1 / DEFAULT 'x' / DEFAULT (expr): skip the value so a word inside is not read as a keyword.
        if (isPunct(tokens[i + 1], '(')) i = closing(tokens, i + 1);
        else i += isPunct(tokens[i + 1], '-') || isPunct(tokens[i + 1], '+') ? 2 : 1;
        break;
      default:
        break;
    }
  }
  return { name, autoincrement, primaryKeyName, collation, generated, checks, foreignKeyName, uniqueName, ...(foreignKeyDeferrable ? { foreignKeyDeferrable } : {}) };
}

/** The WHERE predicate of a partial index, from its CREATE INDEX text. */
export function partialIndexPredicate(sql: string): string | undefined {
  const tokens = tokenizeSql(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  if (open < 0) return undefined;
  const close = closing(tokens, open);
  const where = tokens.findIndex((t, i) => i > close && isWord(t, 'WHERE'));
  if (where < 0) return undefined;
  return sql.slice(tokens[where]!.end).trim().replace(/;\s*$/, '') || undefined;
}

/** The expressions of an index's columns, in order (undefined for plain column parts). */
export function indexPartTexts(sql: string): (string | undefined)[] {
  const tokens = tokenizeSql(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  if (open < 0) return [];
  const close = closing(tokens, open);
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const t = tokens[i];
    if (i === close || (depth === 0 && isPunct(t, ','))) {
      if (start < i) {
        const text = sql.slice(tokens[start]!.start, tokens[i - 1]!.end).trim();
        parts.push(stripOuterParentheses(text.replace(/\s+(ASC|DESC)$/i, '').replace(/\s+COLLATE\s+\S+$/i, '')));
      }
      start = i + 1;
    } else if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
  }
  return parts;
}

/** `(lower(a))` → `lower(a)`: the parentheses DDL puts around an expression part are not part of it. */
function stripOuterParentheses(text: string): string {
  const tokens = tokenizeSql(text);
  if (tokens.length >= 2 && isPunct(tokens[0], '(') && closing(tokens, 0) === tokens.length - 1) {
    return stripOuterParentheses(text.slice(tokens[0]!.end, tokens[tokens.length - 1]!.start).trim());
  }
  return text;
}
