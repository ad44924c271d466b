import type { CodeInfo } from './types.js';

export const EXEC_CODES: readonly CodeInfo[] = [];
