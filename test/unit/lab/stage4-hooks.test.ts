import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUB1, STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { examplesDir, loadProfile, renderStep } from '../../../src/profiles/index.js';

const stages = STAGE4_PLAN.phases.flatMap((p) => p.stages);
const steps = stages.flatMap((s) => s.steps);

describe('the Stage 4 plan declares its hooks', () => {
  it('takes the teardown baseline before vpc1 is built and compares after the last teardown stage', () => {
    expect(STAGE4_PLAN.phases.filter((p) => p.before?.length).map((p) => [p.id, p.before])).toEqual([
      ['vpc1', [{ kind: 'teardown-baseline' }]],
    ]);
    expect(stages.filter((s) => s.after?.length).map((s) => [s.id, s.after])).toEqual([
      ['teardown-vpc2', [{ kind: 'settled-snapshot' }]],
    ]);
    expect(STAGE4_PLAN.phases.filter((p) => p.tearsDown).map((p) => p.id)).toEqual(['teardown']);
  });

  it('stops the listeners of exactly the VPC each teardown stage tears down', () => {
    for (const stage of stages) {
      const tornDown = stage.steps.flatMap((s) =>
        s.step === 'teardownVpc' && !s.cleanup ? [s.vars.vpc] : [],
      );
      const stopped = (stage.before ?? []).flatMap((h) => (h.kind === 'stop-listeners' ? h.vpcs : []));
      expect(stopped, stage.id).toEqual(tornDown);
    }
  });

  it('discovers the app subnet before deployHttp and writes the policy before applyPolicy', () => {
    expect(steps.filter((s) => s.before?.length).map((s) => [s.step, s.before])).toEqual([
      ['deployHttp', [{ kind: 'discover-address', subnet: PUB1, into: 'address' }]],
      ['applyPolicy', [{ kind: 'write-policy', into: 'policyFile' }]],
    ]);
  });

  it('gives every step all of its placeholders: a profile whose create also makes the subnets renders the bad-input checks', () => {
    const profile = loadProfile(join(examplesDir(), 'python-vpcctl.json'));
    const bad = STAGE4_PLAN.phases[0]?.stages[0]?.steps.find((s) => s.step === 'createVpc');
    expect(bad).toBeDefined();
    if (!bad) return;
    const rendered = renderStep(profile, bad.step, bad.vars, { dir: '/t' });
    expect(rendered.kind === 'commands' ? rendered.commands[0] : rendered).toEqual(
      expect.arrayContaining(['--cidr', '10.0.0.0/33', '--public-subnet', '10.9.1.0/24']),
    );
  });
});
