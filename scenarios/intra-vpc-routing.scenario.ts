import { defineCriterion } from '../src/criteria/define.js';
import { VPC1, VPC2 } from '../src/plan/stage4/lab.js';
import { intraVpc } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'intra-vpc-routing',
  title: 'public <-> private both ways, in each VPC (ICMP and TCP)',
  advisory: false,
  order: 2,
  needs: ['createVpc', 'addSubnet', 'allowIntraVpc'],
  phases: ['vpc1', 'vpc2'],
  // These are also the stages' positive controls: the runner settles the network with them first.
  probes: [...intraVpc('vpc1', VPC1, { control: true }), ...intraVpc('vpc2', VPC2, { control: true })],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) expect.soft(probe).toConnect();
  },
});
