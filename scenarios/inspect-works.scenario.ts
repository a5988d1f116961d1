import { defineCriterion } from '../src/criteria/define.js';

export default defineCriterion({
  id: 'inspect-works',
  title: 'inspect exits 0, changes nothing and names a namespace, address or CIDR of the lab',
  advisory: true,
  order: 15,
  needs: ['inspect'],
  phases: ['inspect'],
  probes: [],
  noteFailedSteps: false,
  assert(lab, expect) {
    const phase = lab.phase('inspect');
    expect.soft(phase).toHaveBeenReached();
    if (!phase.reached) return;
    expect.soft(phase).toHaveRecordedChecks('inspect');
    for (const check of phase.checks) expect.soft(check).toDescribeTheLab();
  },
});
