import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultOfTest, statusOfTest } from '../../../src/criteria/test-result.js';
import type { LabEvidence } from '../../../src/model/evidence.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { runScenarios } from '../../../src/verify/scenarios.js';
import { evaluate } from '../../support/criteria.js';
import { buildEvidence, patchProbe } from '../verdict/lab-model.js';

const dir = mkdtempSync(join(tmpdir(), 'vpc-scenario-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function evidenceFile(name: string, evidence: LabEvidence): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ evidence }));
  return path;
}

/** One of each: failed, error, not-run (unsupported step and unreached phase), passed, and a note. */
async function mixed(): Promise<LabEvidence> {
  const evidence = await buildEvidence({
    stepStatus: (step) => (step === 'enableNat' ? 'failed' : 'ran'),
    network: (f) =>
      f.stage === 'vpc2' && f.kind === 'icmp' && f.from === 'vpc1/publicsub' && f.to === 'vpc2/publicsub'
        ? 'connected'
        : f.expected === 'blocked'
          ? 'timeout'
          : f.to === 'internet'
            ? { outcome: 'connected', body: 'ok' }
            : 'connected',
  });
  patchProbe(evidence, 'peering:tcp:vpc2/privatesub->vpc2/publicsub:7070', {
    outcome: 'error',
    detail: 'no curl',
  });
  evidence.unsupportedSteps = ['inspect'];
  const teardown = evidence.phases.find((p) => p.phase === 'teardown');
  if (teardown) teardown.reached = false;
  return evidence;
}

describe('a scenario run (vitest over the criterion files)', () => {
  it('gives the verdicts the in-process judge gives, every status and message', async () => {
    for (const [name, evidence] of [
      ['all-pass', await buildEvidence()],
      ['mixed', await mixed()],
    ] as const) {
      const results = await runScenarios(evidenceFile(name, evidence), []);
      expect(results, name).toEqual(evaluate(evidence));
      if (name === 'mixed') {
        const byId = Object.fromEntries(results.map((r) => [r.id, r.status]));
        expect(byId).toMatchObject({
          'isolation-default': 'failed',
          'peering-private-blocked': 'error',
          'inspect-works': 'not-run',
          'teardown-clean': 'not-run',
          'nat-public-egress': 'passed',
        });
      }
    }
  }, 120_000);

  it('reports only the selected criteria (--only); the others are not-run, not selected', async () => {
    const results = await runScenarios(evidenceFile('only', await buildEvidence()), ['app-deployed']);
    expect(results.filter((r) => r.status === 'passed').map((r) => r.id)).toEqual(['app-deployed']);
    expect(results.find((r) => r.id === 'vpc-created')).toMatchObject({
      status: 'not-run',
      message: 'not selected (--only)',
    });
  }, 120_000);
});

describe('the vitest result is the verdict', () => {
  const meta = (status: CriterionResult['status']): CriterionResult => ({
    id: 'app-deployed',
    status,
    message: 'm',
    advisory: false,
    phase: 'vpc1',
    probes: [],
  });
  const assertion = { message: 'm', __vitest_error_context__: { assertionName: 'toConnect' } };
  const cannotJudge = { message: 'm', name: 'CannotJudge', code: 'CANNOT_JUDGE' };

  it('maps passed, failed (an assertion), error (CannotJudge only) and skipped (not-run)', () => {
    expect(statusOfTest({ state: 'passed', errors: [] })).toBe('passed');
    expect(statusOfTest({ state: 'failed', errors: [cannotJudge, assertion] })).toBe('failed');
    expect(statusOfTest({ state: 'failed', errors: [cannotJudge] })).toBe('error');
    expect(statusOfTest({ state: 'skipped', errors: [], note: 'why' })).toBe('not-run');
    expect(
      statusOfTest({ state: 'failed', errors: [{ message: 'x is undefined', name: 'TypeError' }] }),
    ).toBe('broken');
  });

  it('a scenario that broke, or whose state disagrees with what it recorded, is an error', () => {
    const broken = resultOfTest(
      'app-deployed',
      false,
      { state: 'failed', errors: [{ message: 'boom', name: 'TypeError' }] },
      undefined,
    );
    expect(broken).toMatchObject({ status: 'error', message: 'the scenario produced no verdict: boom' });
    expect(resultOfTest('app-deployed', false, undefined, undefined).message).toBe(
      'the scenario produced no verdict: its scenario did not run',
    );
    expect(
      resultOfTest('app-deployed', false, { state: 'passed', errors: [] }, meta('failed')),
    ).toMatchObject({
      status: 'error',
      message: 'scenario state passed disagrees with failed: m',
    });
    expect(
      resultOfTest('app-deployed', false, { state: 'skipped', errors: [], note: 'why' }, meta('not-run')),
    ).toMatchObject({
      status: 'not-run',
      message: 'why',
    });
  });
});
