import type { CodeInfo } from './types.js';

export const CLI_CODES: readonly CodeInfo[] = [];
