import { defineCriterion } from '../src/criteria/define.js';
import { VPC1, VPC2 } from '../src/plan/stage4/lab.js';
import { crossVpcPairs, intraVpc, isPrivate, pairs } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'peering-private-blocked',
  title: 'after peering, every cross-VPC pair involving a private subnet is still blocked',
  advisory: false,
  order: 8,
  // Without peering, "private pairs are still blocked" would pass vacuously.
  needs: ['createVpc', 'addSubnet', 'peerVpcs'],
  phases: ['peering'],
  probes: [
    // Intra-VPC controls from every subnet: plugging the peering link into a
    // bridge can change its MAC, and every namespace must have re-learnt its
    // gateway before a "blocked" reading means anything.
    ...intraVpc('peering', VPC1, { control: true }),
    ...intraVpc('peering', VPC2, { control: true }),
    ...pairs(
      'peering',
      crossVpcPairs((from, to) => isPrivate(from) || isPrivate(to)),
      'blocked',
    ),
  ],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) {
      if (probe.expected === 'blocked') expect.soft(probe).toBeBlockedWithControl(probe.controls);
      else expect.soft(probe).toConnect();
    }
  },
});
