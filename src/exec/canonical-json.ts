/**
 * The canonical text of a JSON document for checksums: what JSON means, not how it was written.
 * Whitespace, key order and number spelling are not data (`1.50` = `1.5` = `15e-1`, as numeric
 * jsonb prints what MariaDB keeps as written). Digits are: numbers are compared as exact decimals,
 * never as doubles, so 12345678901234567890 and 12345678901234567891 differ. Duplicate keys are
 * kept, in their order: engines disagree on which one counts (MariaDB reads the first, jsonb keeps
 * the last), so a document that lost one has changed.
 */

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;

class NotJson extends Error {}

/** The canonical text of `text`, or undefined when it is not one JSON document. */
export function canonicalJson(text: string): string | undefined {
  const reader = new Reader(text);
  try {
    const out = reader.value();
    reader.skipSpace();
    return reader.at === text.length ? out : undefined;
  } catch (err) {
    // Nesting deeper than the stack allows is compared as written, like text that is not JSON.
    if (err instanceof NotJson || err instanceof RangeError) return undefined;
    throw err;
  }
}

/** An exact decimal's one spelling: `[-]digits e exponent`, no leading or trailing zeros, zero as `0`. */
export function canonicalNumber(negative: boolean, integer: string, fraction: string, exponent: string): string {
  let digits = `${integer}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  let power = BigInt(exponent || '0') - BigInt(fraction.length);
  const trailing = /0+$/.exec(digits);
  if (trailing) {
    digits = digits.slice(0, trailing.index);
    power += BigInt(trailing[0].length);
  }
  return `${negative ? '-' : ''}${digits}e${power}`;
}

class Reader {
  at = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    WHITESPACE.lastIndex = this.at;
    WHITESPACE.exec(this.text);
    this.at = WHITESPACE.lastIndex;
  }

  value(): string {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return JSON.stringify(this.string());
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return word;
      }
    }
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.text);
    if (!m) throw new NotJson();
    this.at = NUMBER.lastIndex;
    return canonicalNumber(m[0].startsWith('-'), m[1]!, m[2] ?? '', m[3] ?? '');
  }

  private string(): string {
    STRING.lastIndex = this.at;
    const m = STRING.exec(this.text);
    if (!m) throw new NotJson();
    this.at = STRING.lastIndex;
    return JSON.parse(m[0]) as string;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.at] !== c) throw new NotJson();
    this.at++;
  }

  /** The next character after white space is `c` (and is consumed). */
  private next(c: string): boolean {
    this.skipSpace();
    if (this.text[this.at] !== c) return false;
    this.at++;
    return true;
  }

  private array(): string {
    this.at++;
    const items: string[] = [];
    if (!this.next(']')) {
      do items.push(this.value());
      while (this.next(','));
      this.expect(']');
    }
    return `[${items.join(',')}]`;
  }

  private object(): string {
    this.at++;
    const members: [string, string][] = [];
    if (!this.next('}')) {
      do {
        this.skipSpace();
        if (this.text[this.at] !== '"') throw new NotJson();
        const key = this.string();
        this.expect(':');
        members.push([key, this.value()]);
      } while (this.next(','));
      this.expect('}');
    }
    // A stable sort: duplicate keys stay in their document order.
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  }
}
