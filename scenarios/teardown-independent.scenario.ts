import { defineCriterion } from '../src/criteria/define.js';
import { VPC2 } from '../src/plan/stage4/lab.js';
import { intraVpc } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'teardown-independent',
  title: 'after tearing down vpc1 alone, vpc2 public <-> private still connect both ways (ICMP and TCP)',
  advisory: true,
  order: 16,
  needs: ['createVpc', 'addSubnet', 'teardownVpc'],
  phases: ['teardown'],
  probes: intraVpc('teardown-vpc1', VPC2, { control: true }),
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) expect.soft(probe).toConnect();
  },
});
