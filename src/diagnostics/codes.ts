/**
 * The diagnostics catalogue. Codes are stable once released. Ranges, one file each under codes/:
 *   DMS1xxx syntax (parse)            codes/syntax.ts
 *   DMS2xxx language semantics (IR)   codes/language.ts
 *   DMS30xx–33xx type rules           codes/check.ts
 *   DMS34xx–39xx mapping checks       codes/mapping.ts
 *   DMS4xxx plans and saved plans     codes/plan.ts
 *   DMS5xxx execution and connections codes/exec.ts
 *   DMS51xx change data capture        codes/cdc.ts
 *   DMS6xxx command line              codes/cli.ts
 */
import type { CodeInfo } from './codes/types.js';
import { SYNTAX_CODES } from './codes/syntax.js';
import { LANGUAGE_CODES } from './codes/language.js';
import { CHECK_CODES } from './codes/check.js';
import { MAPPING_CODES } from './codes/mapping.js';
import { PLAN_CODES } from './codes/plan.js';
import { EXEC_CODES } from './codes/exec.js';
import { CDC_CODES } from './codes/cdc.js';
import { CLI_CODES } from './codes/cli.js';

export type { CodeInfo } from './codes/types.js';

export const ALL_CODES: readonly CodeInfo[] = [
  ...SYNTAX_CODES,
  ...LANGUAGE_CODES,
  ...CHECK_CODES,
  ...MAPPING_CODES,
  ...PLAN_CODES,
  ...EXEC_CODES,
  ...CDC_CODES,
  ...CLI_CODES,
];

export function findCode(code: string): CodeInfo | undefined {
  const wanted = code.trim().toUpperCase();
  return ALL_CODES.find((c) => c.code === wanted);
}
