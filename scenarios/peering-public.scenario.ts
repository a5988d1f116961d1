import { defineCriterion } from '../src/criteria/define.js';
import { PUB1, PUB2 } from '../src/plan/stage4/lab.js';
import { pairs } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'peering-public',
  title: 'after peering, vpc1 public <-> vpc2 public both ways (ICMP and TCP)',
  advisory: false,
  order: 7,
  needs: ['createVpc', 'addSubnet', 'peerVpcs', 'allowCidr'],
  phases: ['peering'],
  probes: pairs(
    'peering',
    [
      [PUB1, PUB2],
      [PUB2, PUB1],
    ],
    'allowed',
  ),
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) expect.soft(probe).toConnect();
  },
});
