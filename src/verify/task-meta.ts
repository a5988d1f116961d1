import type {} from 'vitest';
import type { CriterionResult } from '../model/summary.js';

// A scenario's test carries its criterion's result to the reporter (vitest task meta).
declare module 'vitest' {
  interface TaskMeta {
    criterion?: CriterionResult;
  }
}
