import { defineCriterion } from '../src/criteria/define.js';

export default defineCriterion({
  id: 'idempotent-create',
  title: 'creating vpc1 a second time exits 0 (or says it already exists) and changes nothing',
  advisory: true,
  order: 13,
  needs: ['createVpc'],
  phases: ['vpc1'],
  probes: [],
  noteFailedSteps: false,
  assert(lab, expect) {
    const phase = lab.phase('vpc1');
    expect.soft(phase).toHaveBeenReached();
    if (!phase.reached) return;
    expect.soft(phase).toHaveRecordedChecks('repeated create');
    if (phase.checks.length === 0) return;
    // The control: creating a VPC that was never built again shows nothing.
    expect.soft(phase).toHaveBuiltTheVpc();
    for (const check of phase.checks) expect.soft(check).toChangeNothingWhenRepeated();
  },
});
