import type { CodeInfo } from './types.js';

export const LANGUAGE_CODES: readonly CodeInfo[] = [];
