import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateValidators } from '../../../scripts/generate-validators.mjs';

/**
 * vpcctl validates with ajv, but compiled ahead of time by `npm run generate`
 * (scripts/generate-validators.mjs). This test compares, never writes: a
 * stale file fails here until someone runs the script and commits the result.
 */
describe('generated validators', () => {
  it('match the schema files (run `npm run generate` when they do not)', () => {
    const fresh = generateValidators();
    expect(fresh).not.toMatch(/require\(/);
    expect(
      readFileSync(GENERATED_FILE, 'utf8') === fresh,
      `${GENERATED_FILE} is stale: npm run generate`,
    ).toBe(true);
  });
});
