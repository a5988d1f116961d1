import { describe, expect, it } from 'vitest';
import { validateSummary } from '../../../src/reports/summary.js';
import { type FixtureOptions, makeSummary } from './fixtures.js';

// The batch and Markdown tests stand on these fixtures: they must be summaries the verifier could write.
const CASES: [string, FixtureOptions][] = [
  ['passing', {}],
  ['failing', { failing: ['nat-private-blocked', 'source-preserved'] }],
  ['mixed', { failing: ['peering-public'], errors: ['policy-allowed'], notRun: ['policy-denied'] }],
  ['hostile', { failing: ['policy-denied'], hostile: true, deadlineHit: true }],
];

describe('fixture summaries', () => {
  it.each(CASES)('%s validates against the summary.json schema', (_, options) => {
    const result = validateSummary(JSON.parse(JSON.stringify(makeSummary('alice', options))));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
