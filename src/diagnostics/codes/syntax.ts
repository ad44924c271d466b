import type { CodeInfo } from './types.js';

export const SYNTAX_CODES: readonly CodeInfo[] = [];
