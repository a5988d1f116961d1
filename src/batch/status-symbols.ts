import type { CriterionStatus } from '../model/criteria.js';
import type { RowVerdict } from './scoreboard.js';

/** One symbol per status, so a cell reads without its colour (colour-blind readers, plain text). */
export const STATUS_SYMBOL: Record<CriterionStatus, string> = {
  passed: '✅',
  failed: '❌',
  error: '⚠️',
  'not-run': '⏭️',
};

export const VERDICT_SYMBOL: Record<RowVerdict, string> = {
  pass: '✅',
  fail: '❌',
  error: '⚠️',
};

export const VERDICT_WORD: Record<RowVerdict, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
};
