import type { CodeInfo } from './types.js';

export const CHECK_CODES: readonly CodeInfo[] = [];
