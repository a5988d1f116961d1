import { defineCriterion } from '../src/criteria/define.js';
import { PUB1, PUB2, VPC1, VPC2 } from '../src/plan/stage4/lab.js';
import {
  crossVpcPairs,
  intraVpc,
  isPrivate,
  type PathDecl,
  pairs,
  probe,
} from '../src/plan/stage4/probe-specs.js';

// A private pair's block means something only while the peering carries the
// public pairs' traffic: a peering that carries nothing blocks everything.
const PEERING_PATH: PathDecl = {
  unproven: 'nothing crosses the peering between vpc1 and vpc2',
  controls: pairs(
    'peering',
    [
      [PUB1, PUB2],
      [PUB2, PUB1],
    ],
    'allowed',
  ),
};

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
    ...crossVpcPairs((from, to) => isPrivate(from) || isPrivate(to)).flatMap(([from, to]) => [
      probe('peering', 'icmp', from, to, 'blocked', { path: PEERING_PATH }),
      probe('peering', 'tcp', from, to, 'blocked', { path: PEERING_PATH }),
    ]),
  ],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) {
      if (probe.expected === 'blocked') expect.soft(probe).toBeBlockedWithControl(probe.controls);
      else expect.soft(probe).toConnect();
    }
  },
});
