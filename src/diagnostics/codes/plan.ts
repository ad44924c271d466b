import type { CodeInfo } from './types.js';

export const PLAN_CODES: readonly CodeInfo[] = [];
