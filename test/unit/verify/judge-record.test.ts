import { describe, expect, it } from 'vitest';
import type { LabEvidence, PhaseEvidence, PhaseId } from '../../../src/model/evidence.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { recordsAPhase, settleCriteria } from '../../../src/verify/judge-record.js';

const WHY =
  'the harness was killed (SIGKILL) while the target ran `vpcctl peer-vpcs` (step peerVpcs) in phase peering';

function phase(id: PhaseId, state: 'finished' | 'interrupted' | 'unreached'): PhaseEvidence {
  return {
    phase: id,
    reached: state !== 'unreached',
    ...(state === 'interrupted' ? { interrupted: true } : {}),
    steps: [],
    discovery: [],
    probes: [],
    truthTables: [],
    internetSources: [],
    unnattedPackets: 0,
    settleMs: undefined,
    checks: [],
    durationMs: 0,
  };
}

/** Killed during peering. */
const evidence: LabEvidence = {
  phases: STAGE4_PLAN.phases.map((p) => {
    const order = ['bad-input', 'vpc1', 'vpc2'];
    return phase(p.id, order.includes(p.id) ? 'finished' : p.id === 'peering' ? 'interrupted' : 'unreached');
  }),
  findings: [],
  unsupportedSteps: [],
  deadlineHit: false,
  harnessError: undefined,
};

function criterion(
  id: CriterionResult['id'],
  status: CriterionResult['status'],
  phaseId: string,
): CriterionResult {
  return { id, status, message: `judged ${status}`, advisory: false, phase: phaseId, probes: [] };
}

describe('settleCriteria', () => {
  it('keeps what finished phases decided, and makes the rest error naming the phase the kill took', () => {
    const settled = settleCriteria(
      [
        criterion('isolation-default', 'passed', 'vpc2'),
        criterion('nat-public-egress', 'failed', 'vpc1'),
        // Reads vpc1, vpc2 and peering: a pass needs all three finished.
        criterion('source-preserved', 'passed', 'peering'),
        criterion('peering-public', 'error', 'peering'),
        criterion('policy-denied', 'not-run', 'policy'),
      ],
      evidence,
      WHY,
    );
    expect(settled.map((c) => [c.id, c.status, c.phase])).toEqual([
      ['isolation-default', 'passed', 'vpc2'],
      ['nat-public-egress', 'failed', 'vpc1'],
      ['source-preserved', 'error', 'peering'],
      ['peering-public', 'error', 'peering'],
      ['policy-denied', 'error', 'policy'],
    ]);
    expect(settled[0]?.message).toBe('judged passed');
    expect(settled[2]?.message).toBe(
      `${WHY}; source-preserved needs phase peering, which the kill cut short`,
    );
    expect(settled[4]?.message).toBe(`${WHY}; policy-denied needs phase policy, which was never reached`);
  });

  it('keeps a failure proven in a finished phase even when the criterion also reads a later one', () => {
    const [settled] = settleCriteria([criterion('source-preserved', 'failed', 'vpc1')], evidence, WHY);
    expect(settled?.status).toBe('failed');
  });

  it('leaves a criterion --only did not select as it is', () => {
    const unselected = {
      ...criterion('teardown-clean', 'not-run', 'teardown'),
      message: 'not selected (--only)',
    };
    expect(settleCriteria([unselected], evidence, WHY)).toEqual([unselected]);
  });
});

describe('recordsAPhase', () => {
  it('is true only when some phase began', () => {
    expect(recordsAPhase([{ kind: 'note', at: 'a', text: 'phase vpc1 begins' }])).toBe(false);
    expect(recordsAPhase([{ kind: 'phase', at: 'a', phase: 'vpc1', state: 'begin' }])).toBe(true);
  });
});
