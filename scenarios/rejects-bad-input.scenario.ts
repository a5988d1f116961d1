import { defineCriterion } from '../src/criteria/define.js';

/** The checks are the plan's bad-input steps (src/plan/stage4/phases.ts), each cleaned up at once. */
export default defineCriterion({
  id: 'rejects-bad-input',
  title:
    'bad CIDRs, a subnet outside its VPC and an unknown VPC are refused with a non-zero exit and a message, leaving nothing behind, while a valid VPC is accepted',
  advisory: true,
  order: 12,
  needs: ['createVpc'],
  phases: ['bad-input'],
  probes: [],
  // Its own steps fail on purpose: a failed step is no news.
  noteFailedSteps: false,
  assert(lab, expect) {
    const phase = lab.phase('bad-input');
    expect.soft(phase).toHaveBeenReached();
    if (!phase.reached) return;
    expect.soft(phase).toHaveRecordedChecks('bad-input');
    if (phase.checks.length === 0) return;
    for (const check of phase.checks) expect.soft(check).toBeRejectedCleanly();
    // The control: a target that fails on everything rejects bad input too.
    expect.soft(phase).toHaveAcceptedValidInput();
  },
  // A skipped check is neutral, but a grader must see that it was not put to the tool.
  summary: (judged, lab) => {
    const skipped = lab.phase('bad-input').checks.filter((c) => c.check.skipped !== undefined);
    const base = `every bad input was rejected with a message and left nothing behind (${judged.length} checks)`;
    if (skipped.length === 0) return base;
    const why = skipped.map((c) => `${c.check.title}: ${c.check.skipped}`).join('; ');
    return `${base}; ${skipped.length} not put to the tool: ${why}`;
  },
});
