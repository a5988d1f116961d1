import { describe, expect, it } from 'vitest';
import type { CriterionStatus } from '../../../src/model/criteria.js';
import type { Summary } from '../../../src/model/summary.js';
import {
  formatComparison,
  type StartStateRun,
  startStateFinding,
  stateDifferences,
} from '../../../src/verify/compare-start-states.js';

function summary(statuses: Record<string, CriterionStatus>, verdict: 'pass' | 'fail' = 'fail'): Summary {
  return {
    verdict,
    criteria: Object.entries(statuses).map(([id, status]) => ({ id, status })),
  } as unknown as Summary;
}

const fresh = (s: Record<string, CriterionStatus>): StartStateRun => ({
  startState: 'fresh',
  summary: summary(s),
  reportsDir: '/r/fresh',
});
const docker = (s: Record<string, CriterionStatus>): StartStateRun => ({
  startState: 'docker-host',
  summary: summary(s, 'pass'),
  reportsDir: '/r/docker',
});

describe('stateDifferences', () => {
  it('lists, in criterion order, each criterion whose status is not the same in every run', () => {
    const runs = [
      fresh({ 'teardown-clean': 'passed', 'intra-vpc-routing': 'failed', 'vpc-created': 'passed' }),
      docker({ 'teardown-clean': 'failed', 'intra-vpc-routing': 'passed', 'vpc-created': 'passed' }),
    ];
    expect(stateDifferences(runs)).toEqual([
      { id: 'intra-vpc-routing', statuses: { fresh: 'failed', 'docker-host': 'passed' } },
      { id: 'teardown-clean', statuses: { fresh: 'passed', 'docker-host': 'failed' } },
    ]);
  });

  it('counts a criterion missing from one run as a difference, and equal runs as none', () => {
    expect(stateDifferences([fresh({ 'vpc-created': 'passed' }), docker({})])).toEqual([
      { id: 'vpc-created', statuses: { fresh: 'passed', 'docker-host': 'missing' } },
    ]);
    expect(stateDifferences([fresh({ 'vpc-created': 'error' }), docker({ 'vpc-created': 'error' })])).toEqual(
      [],
    );
  });
});

describe('startStateFinding', () => {
  it('is a warning naming every differing criterion with its status per state; none without differences', () => {
    expect(startStateFinding([])).toBeUndefined();
    const finding = startStateFinding([
      { id: 'intra-vpc-routing', statuses: { fresh: 'failed', 'docker-host': 'passed' } },
      { id: 'isolation-default', statuses: { fresh: 'passed', 'docker-host': 'not-run' } },
    ]);
    expect(finding?.id).toBe('start-state-dependent');
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toMatch(
      /^verdicts differ between the start states fresh and docker-host: intra-vpc-routing \(fresh: failed, docker-host: passed\); isolation-default \(fresh: passed, docker-host: not-run\)\. /,
    );
  });
});

describe('formatComparison', () => {
  it('shows each run verdict, a table of the differences and where the reports are', () => {
    const runs = [fresh({ 'vpc-created': 'failed' }), docker({ 'vpc-created': 'passed' })];
    const text = formatComparison({ runs, differences: stateDifferences(runs) });
    expect(text).toContain('Start states compared: fresh FAIL, docker-host PASS');
    expect(text).toMatch(/vpc-created +failed +passed/);
    expect(text).toContain('reports (docker-host): /r/docker');
    const same = formatComparison({ runs: [fresh({}), docker({})], differences: [] });
    expect(same).toContain('every criterion has the same status in every start state');
  });
});
