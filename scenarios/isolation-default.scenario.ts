import { defineCriterion } from '../src/criteria/define.js';
import { VPC1, VPC2 } from '../src/plan/stage4/lab.js';
import { crossVpcPairs, intraVpc, pairs } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'isolation-default',
  title: 'before peering, every cross-VPC pair is blocked (ICMP and TCP), with positive controls',
  advisory: false,
  order: 6,
  needs: ['createVpc', 'addSubnet', 'isolateVpcs'],
  phases: ['vpc2'],
  probes: [
    ...intraVpc('vpc2', VPC2, { control: true }),
    ...intraVpc('vpc2', VPC1, { control: true }),
    ...pairs(
      'vpc2',
      crossVpcPairs(() => true),
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
