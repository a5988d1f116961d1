import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.ts` when running from source (vitest), `.js` when compiled (dist/). */
export const MODULE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The folder of the criterion files, next to src/ (source) or dist/src/ (compiled). */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export const SCENARIO_SUFFIX = `.scenario${MODULE_EXT}`;

/** Every criterion file (scenarios/<id>.scenario.ts, or its compiled .js), sorted by name. */
export function scenarioFiles(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith(SCENARIO_SUFFIX))
    .sort()
    .map((f) => join(SCENARIO_DIR, f));
}
