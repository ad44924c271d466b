/**
 * The dmsplan grammar as a Chevrotain CST parser: syntax only, no semantics (names, engines and
 * setting values are checked when the AST is lowered). Error recovery is on, so one parse reports
 * many errors and still yields a (partial) CST.
 *
 * Newlines carry no meaning: every construct is delimited by its keywords and braces, which is
 * why `tls { mode = require  ca = env("PG_CA") }` needs no separators.
 */
import type { CstNode, IParserErrorMessageProvider, TokenType } from 'chevrotain';
import { CstParser, defaultParserErrorProvider } from './chevrotain.js';
import * as T from './tokens.js';

/** Error messages in the words of the language rather than of token type names. */
const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (expected.name === 'EOF') return `unexpected ${describe(actual.image, actual.tokenType)}: expected a statement (import, migration, source, target, map, types or merge)`;
    return `expected ${label(expected)} but found ${describe(actual.image, actual.tokenType)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant.image, firstRedundant.tokenType)}: expected a statement (import, migration, source, target, map, types or merge)`;
  },
  buildNoViableAltMessage(options) {
    const actual = options.actual[0];
    const firsts = new Set<string>();
    for (const path of options.expectedPathsPerAlt) for (const seq of path) if (seq[0]) firsts.add(label(seq[0]));
    const found = actual ? describe(actual.image, actual.tokenType) : 'the end of the file';
    const rule = RULE_DESCRIPTIONS[options.ruleName] ?? options.ruleName;
    return `expected ${rule} but found ${found}${firsts.size > 0 && firsts.size <= 8 ? ` (expected one of: ${[...firsts].join(', ')})` : ''}`;
  },
  buildEarlyExitMessage(options) {
    const actual = options.actual[0];
    const found = actual ? describe(actual.image, actual.tokenType) : 'the end of the file';
    const rule = RULE_DESCRIPTIONS[options.ruleName] ?? options.ruleName;
    return `expected at least one ${rule} but found ${found}` || defaultParserErrorProvider.buildEarlyExitMessage(options);
  },
};

const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  statement: 'a statement (import, migration, source, target, map, types or merge)',
  endpointItem: 'a setting (name = value) or a block (name { ... })',
  settingValue: 'a value (a word, a number, a "string" or env("VAR"))',
  mapItem: 'a map statement (names = ..., views = ..., include, exclude or table)',
  tableItem: 'a table statement (where, rename, drop, add, mask, column or chunk)',
  mergeItem: 'a merge statement (from, key, strategy = ... or on_conflict = ...)',
  namePattern: 'a name, a glob or a /regex/',
  name: 'a name',
  stringLiteral: 'a string',
  operand: 'a value or a column',
  literal: 'a literal',
  predicateTail: 'a comparison',
  valueExpr: 'a value, a column or a function call',
  typeParam: 'a type parameter',
  guard: 'a guard (unsigned, not null, default, auto_increment or param < number)',
  compareOp: 'a comparison operator',
  maskMethod: 'a mask method (hash, redact, randomize_digits or a literal)',
  whereBody: 'a filter expression or raw "SQL"',
  ruleScopeOrType: 'a type',
  typeExpr: 'a type',
  columnRef: 'a column name',
};

function label(tokenType: TokenType): string {
  return tokenType.LABEL ?? tokenType.name;
}

function describe(image: string, tokenType: TokenType): string {
  if (tokenType.name === 'EOF' || image === '') return 'the end of the file';
  const shown = image.length > 30 ? `${image.slice(0, 27)}...` : image;
  return `'${shown}'`;
}

export class DmsplanParser extends CstParser {
  /**
   * `validateGrammar`: chevrotain's checks of the grammar itself (ambiguities, left recursion…),
   * about a third of building the parser. They cannot fail at run time for a grammar that passed
   * them once, so only the tests ask for them (test/syntax/grammar-validation.test.ts).
   */
  constructor(options: { readonly validateGrammar?: boolean } = {}) {
    super(T.ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      nodeLocationTracking: 'full',
      maxLookahead: 3,
      errorMessageProvider: errorMessages,
      skipValidations: !options.validateGrammar,
    });
    this.performSelfAnalysis();
  }

  // ── top level ────────────────────────────────────────────────────────────────────────────
  public plan = this.RULE('plan', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  public statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.importStatement) },
      { ALT: () => this.SUBRULE(this.migrationBlock) },
      { ALT: () => this.SUBRULE(this.endpointBlock) },
      { ALT: () => this.SUBRULE(this.mapBlock) },
      { ALT: () => this.SUBRULE(this.typesBlock) },
      { ALT: () => this.SUBRULE(this.mergeBlock) },
    ]);
  });

  public importStatement = this.RULE('importStatement', () => {
    this.CONSUME(T.Import);
    this.SUBRULE(this.stringLiteral);
  });

  public migrationBlock = this.RULE('migrationBlock', () => {
    this.CONSUME(T.Migration);
    this.OPTION(() => this.SUBRULE(this.name));
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.setting));
    this.CONSUME(T.RCurly);
  });

  // ── endpoints ────────────────────────────────────────────────────────────────────────────
  public endpointBlock = this.RULE('endpointBlock', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Source) }, { ALT: () => this.CONSUME(T.Target) }]);
    this.SUBRULE(this.name, { LABEL: 'endpointName' });
    this.SUBRULE2(this.name, { LABEL: 'engine' });
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.endpointItem));
    this.CONSUME(T.RCurly);
  });

  public endpointItem = this.RULE('endpointItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.setting) },
      { ALT: () => this.SUBRULE(this.subBlock) },
    ]);
  });

  public subBlock = this.RULE('subBlock', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.setting));
    this.CONSUME(T.RCurly);
  });

  public setting = this.RULE('setting', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.settingValue);
  });

  public settingValue = this.RULE('settingValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.envCall) },
      { ALT: () => this.SUBRULE(this.stringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.SoftKeyword) },
    ]);
  });

  public envCall = this.RULE('envCall', () => {
    this.CONSUME(T.Env);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.stringLiteral, { LABEL: 'variable' });
    this.OPTION(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.stringLiteral, { LABEL: 'fallback' });
    });
    this.CONSUME(T.RParen);
  });

  // ── maps ─────────────────────────────────────────────────────────────────────────────────
  public mapBlock = this.RULE('mapBlock', () => {
    this.CONSUME(T.Map);
    this.SUBRULE(this.selector, { LABEL: 'source' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.selector, { LABEL: 'target' });
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.mapItem));
    this.CONSUME(T.RCurly);
  });

  public mapItem = this.RULE('mapItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.setting) },
      { ALT: () => this.SUBRULE(this.includeClause) },
      { ALT: () => this.SUBRULE(this.excludeClause) },
      { ALT: () => this.SUBRULE(this.tableBlock) },
    ]);
  });

  public includeClause = this.RULE('includeClause', () => {
    this.CONSUME(T.Include);
    this.SUBRULE(this.namePattern);
  });

  public excludeClause = this.RULE('excludeClause', () => {
    this.CONSUME(T.Exclude);
    this.SUBRULE(this.namePattern);
  });

  public tableBlock = this.RULE('tableBlock', () => {
    this.CONSUME(T.Table);
    this.SUBRULE(this.namePattern);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.name, { LABEL: 'renameTo' });
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.tableItem));
    this.CONSUME(T.RCurly);
  });

  public tableItem = this.RULE('tableItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.whereClause) },
      { ALT: () => this.SUBRULE(this.renameClause) },
      { ALT: () => this.SUBRULE(this.dropClause) },
      { ALT: () => this.SUBRULE(this.addClause) },
      { ALT: () => this.SUBRULE(this.maskClause) },
      { ALT: () => this.SUBRULE(this.columnClause) },
      { ALT: () => this.SUBRULE(this.chunkClause) },
    ]);
  });

  public whereClause = this.RULE('whereClause', () => {
    this.CONSUME(T.Where);
    this.SUBRULE(this.whereBody);
  });

  public whereBody = this.RULE('whereBody', () => {
    this.OR([
      {
        GATE: () => this.LA(1).tokenType === T.Raw && isString(this.LA(2).tokenType),
        ALT: () => {
          this.CONSUME(T.Raw);
          this.SUBRULE(this.stringLiteral);
        },
      },
      { ALT: () => this.SUBRULE(this.orExpr) },
    ]);
  });

  public renameClause = this.RULE('renameClause', () => {
    this.CONSUME(T.Rename);
    this.SUBRULE(this.name, { LABEL: 'from' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.name, { LABEL: 'to' });
  });

  public dropClause = this.RULE('dropClause', () => {
    this.CONSUME(T.Drop);
    this.SUBRULE(this.name);
  });

  public addClause = this.RULE('addClause', () => {
    this.CONSUME(T.Add);
    this.SUBRULE(this.name);
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.valueExpr);
  });

  public maskClause = this.RULE('maskClause', () => {
    this.CONSUME(T.Mask);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.maskMethod);
  });

  public maskMethod = this.RULE('maskMethod', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.CONSUME(T.Identifier) },
    ]);
  });

  public columnClause = this.RULE('columnClause', () => {
    this.CONSUME(T.Column);
    this.SUBRULE(this.name);
    this.SUBRULE(this.typeExpr);
    this.SUBRULE(this.conversionTail);
  });

  public chunkClause = this.RULE('chunkClause', () => {
    this.CONSUME(T.Chunk);
    this.OPTION(() => {
      this.CONSUME(T.Rows);
      this.CONSUME(T.Equals);
      this.CONSUME(T.NumberLiteral);
    });
    this.OPTION2(() => {
      this.CONSUME(T.By);
      this.SUBRULE(this.name);
    });
  });

  // ── types ────────────────────────────────────────────────────────────────────────────────
  public typesBlock = this.RULE('typesBlock', () => {
    this.CONSUME(T.Types);
    this.SUBRULE(this.name, { LABEL: 'from' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.name, { LABEL: 'to' });
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.typeRule));
    this.CONSUME(T.RCurly);
  });

  public typeRule = this.RULE('typeRule', () => {
    this.OPTION(() => this.SUBRULE(this.ruleScope));
    this.SUBRULE(this.typeExpr, { LABEL: 'pattern' });
    this.OPTION2(() => {
      this.CONSUME(T.Where);
      this.SUBRULE(this.guard);
      this.MANY(() => {
        this.CONSUME(T.And);
        this.SUBRULE2(this.guard);
      });
    });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.typeExpr, { LABEL: 'target' });
    this.SUBRULE(this.conversionTail);
  });

  /** `column Invoice.Total:` or `column Total:` — restricts a rule to matching columns. */
  public ruleScope = this.RULE('ruleScope', () => {
    this.CONSUME(T.Column);
    this.SUBRULE(this.namePattern);
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.namePattern);
    });
    this.CONSUME(T.Colon);
  });

  public guard = this.RULE('guard', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Unsigned) },
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.CONSUME(T.Null);
        },
      },
      { ALT: () => this.CONSUME(T.Default) },
      { ALT: () => this.CONSUME(T.AutoIncrement) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.SUBRULE(this.compareOp);
          this.CONSUME(T.NumberLiteral);
        },
      },
    ]);
  });

  /** `using conversion` and `lossy`, both optional, in this order. */
  public conversionTail = this.RULE('conversionTail', () => {
    this.OPTION(() => {
      this.CONSUME(T.Using);
      this.SUBRULE(this.name);
    });
    this.OPTION2(() => this.CONSUME(T.Lossy));
  });

  /** `numeric(12, 2)`, `bigint unsigned`, `text[]`, `"double precision"`, `decimal(p, *)`. */
  public typeExpr = this.RULE('typeExpr', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.typeParam);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.typeParam);
      });
      this.CONSUME(T.RParen);
    });
    this.OPTION2(() => this.CONSUME(T.Unsigned));
    this.OPTION3(() => {
      this.CONSUME(T.LBracket);
      this.CONSUME(T.RBracket);
    });
  });

  public typeParam = this.RULE('typeParam', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.SUBRULE(this.name) },
    ]);
  });

  // ── merges ───────────────────────────────────────────────────────────────────────────────
  public mergeBlock = this.RULE('mergeBlock', () => {
    this.CONSUME(T.Merge);
    this.SUBRULE(this.name);
    this.CONSUME(T.Into);
    this.SUBRULE(this.selector);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.mergeItem));
    this.CONSUME(T.RCurly);
  });

  public mergeItem = this.RULE('mergeItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.fromClause) },
      { ALT: () => this.SUBRULE(this.keyClause) },
      { ALT: () => this.SUBRULE(this.setting) },
    ]);
  });

  public fromClause = this.RULE('fromClause', () => {
    this.CONSUME(T.From);
    this.SUBRULE(this.selector);
    // The gates keep `tag = ...` and `offset = ...` on the next line readable as merge settings.
    this.MANY({
      GATE: () => this.LA(2).tokenType !== T.Equals,
      DEF: () => this.SUBRULE(this.tagClause),
    });
    this.OPTION({
      GATE: () => this.LA(2).tokenType !== T.Equals,
      DEF: () => {
        this.CONSUME(T.Offset);
        this.CONSUME(T.NumberLiteral);
      },
    });
  });

  public tagClause = this.RULE('tagClause', () => {
    this.CONSUME(T.Tag);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.literal);
  });

  public keyClause = this.RULE('keyClause', () => {
    this.CONSUME(T.Key);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.name);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.name);
    });
    this.CONSUME(T.RParen);
  });

  // ── names ────────────────────────────────────────────────────────────────────────────────
  /** `endpoint.schema.table`, each part a name pattern. */
  public selector = this.RULE('selector', () => {
    this.SUBRULE(this.namePattern);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.namePattern);
    });
  });

  public namePattern = this.RULE('namePattern', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.name) },
      { ALT: () => this.CONSUME(T.Glob) },
      { ALT: () => this.CONSUME(T.Star) },
      { ALT: () => this.CONSUME(T.RegexLiteral) },
    ]);
  });

  /** A plain or quoted name; keywords are names too outside expressions. */
  public name = this.RULE('name', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.DoubleQuoted) },
      { ALT: () => this.CONSUME(T.BacktickQuoted) },
      { ALT: () => this.CONSUME(T.SoftKeyword) },
    ]);
  });

  public stringLiteral = this.RULE('stringLiteral', () => {
    this.OR([{ ALT: () => this.CONSUME(T.SingleQuoted) }, { ALT: () => this.CONSUME(T.DoubleQuoted) }]);
  });

  // ── expressions ──────────────────────────────────────────────────────────────────────────
  public orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  public andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  public notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.predicate) },
    ]);
  });

  public predicate = this.RULE('predicate', () => {
    this.SUBRULE(this.operand);
    this.OPTION(() => this.SUBRULE(this.predicateTail));
  });

  public predicateTail = this.RULE('predicateTail', () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.compareOp);
          this.SUBRULE(this.operand, { LABEL: 'right' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OPTION(() => this.CONSUME(T.Not, { LABEL: 'isNot' }));
          this.CONSUME(T.Null);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(T.Not));
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.In);
                this.CONSUME(T.LParen);
                this.SUBRULE2(this.operand, { LABEL: 'list' });
                this.MANY(() => {
                  this.CONSUME(T.Comma);
                  this.SUBRULE3(this.operand, { LABEL: 'list' });
                });
                this.CONSUME(T.RParen);
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.Between);
                this.SUBRULE4(this.operand, { LABEL: 'low' });
                this.CONSUME(T.And);
                this.SUBRULE5(this.operand, { LABEL: 'high' });
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.Like);
                this.SUBRULE6(this.operand, { LABEL: 'pattern' });
              },
            },
          ]);
        },
      },
    ]);
  });

  public compareOp = this.RULE('compareOp', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.NotEquals) },
      { ALT: () => this.CONSUME(T.LessEquals) },
      { ALT: () => this.CONSUME(T.GreaterEquals) },
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.Greater) },
    ]);
  });

  public operand = this.RULE('operand', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.orExpr);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.columnRef) },
    ]);
  });

  public literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.SingleQuoted) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      {
        ALT: () => {
          this.CONSUME(T.Date);
          this.CONSUME2(T.SingleQuoted, { LABEL: 'dateText' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Timestamp);
          this.CONSUME3(T.SingleQuoted, { LABEL: 'timestampText' });
        },
      },
    ]);
  });

  /** A column inside an expression: expression keywords (and, null, date, ...) must be quoted. */
  public columnRef = this.RULE('columnRef', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.DoubleQuoted) },
      { ALT: () => this.CONSUME(T.BacktickQuoted) },
      { ALT: () => this.CONSUME(T.ExprSafeKeyword) },
    ]);
  });

  /** Values of added columns: literals, columns and function calls `fn(args)`. */
  public valueExpr = this.RULE('valueExpr', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.SUBRULE(this.columnRef) },
    ]);
  });

  public functionCall = this.RULE('functionCall', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.valueExpr);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.valueExpr);
      });
    });
    this.CONSUME(T.RParen);
  });
}

function isString(tokenType: TokenType): boolean {
  return tokenType === T.SingleQuoted || tokenType === T.DoubleQuoted || tokenType === T.UnterminatedSingle || tokenType === T.UnterminatedDouble;
}

/** One parser instance is reused (Chevrotain parsers are built once and reset per input). */
export const dmsplanParser = new DmsplanParser();

export type { CstNode };
