import type { CodeInfo } from './types.js';

/** Codes of type-rule checks (DMS30xx–DMS33xx), reported by src/types/choose.ts. */
export const TYPE_CHECK = {
  lossyNotAcknowledged: 'DMS3001',
  lossyButLossless: 'DMS3002',
  conversionDoesNotApply: 'DMS3003',
  unknownTargetType: 'DMS3004',
  noFaithfulFallback: 'DMS3005',
} as const;

export const CHECK_CODES: readonly CodeInfo[] = [
  {
    code: 'DMS3001',
    title: 'a narrowing conversion is not marked lossy',
    explanation:
      'The type chosen for a column cannot hold every value of the source column exactly: some values would be rounded, truncated, clamped, reinterpreted or rejected. dmsplan refuses to narrow data silently; if the narrowing is what you want, say so by ending the rule with `lossy` (the hint shows the exact line), otherwise pick a wider target type.\n\n```\ntypes mysql -> postgres {\n  datetime(6) -> timestamp(3) lossy   # microseconds are cut to milliseconds\n}\n```',
  },
  {
    code: 'DMS3002',
    title: 'a rule is marked lossy but loses nothing',
    explanation:
      'The rule says `lossy`, but every value of the source type fits the target type exactly. Remove `lossy` so that the plan keeps telling the truth: a reader should be able to find every real narrowing by searching for `lossy`.',
  },
  {
    code: 'DMS3003',
    title: 'the conversion does not apply to these types',
    explanation:
      'A `using` conversion is defined for certain source and target kinds only (for example `int_to_boolean` converts integers to boolean). The message names the kinds the conversion accepts. Pick another conversion, or leave `using` out to get `none` (same representation) or `cast` (through text). `dmsplan explain` lists each conversion in docs/type-mapping.md.',
  },
  {
    code: 'DMS3004',
    title: 'unknown target type',
    explanation:
      'The target type of a type rule or a `column … type` override is not a type the target engine knows, or its parameters are not valid for it. Check the spelling (the hint suggests the closest known name); multi-word types are quoted: `"double precision"`.',
  },
  {
    code: 'DMS3005',
    title: 'no rule maps this column faithfully',
    explanation:
      'No type rule of the plan or of the built-in prelude matched this column, and the closest target type dmsplan can derive would not keep every value. Write a rule for it in a `types` block (or a `column` override in the table block), and mark it `lossy` if the narrowing is acceptable.\n\n```\ntypes postgres -> mysql {\n  column Events.payload: xml -> longtext\n}\n```',
  },
];
