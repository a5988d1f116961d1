import { defineCriterion } from '../src/criteria/define.js';
import { INTERNET, PRIV1, PUB1, VPC1 } from '../src/plan/stage4/lab.js';
import { intraVpc, type PathDecl, probe } from '../src/plan/stage4/probe-specs.js';

// When vpc1 public reaches the internet host too, the private subnet's block is
// the tool's rule; when nothing in vpc1 does, the block proves nothing.
const NAT_PATH: PathDecl = {
  unproven: 'nothing in vpc1 reaches the internet host',
  controls: [
    probe('vpc1', 'icmp', PUB1, INTERNET, 'allowed'),
    probe('vpc1', 'http', PUB1, INTERNET, 'allowed', { port: 80 }),
  ],
};

export default defineCriterion({
  id: 'nat-private-blocked',
  title: 'vpc1 private cannot reach the internet host, while it still reaches vpc1 public',
  advisory: false,
  order: 5,
  // Without NAT nothing reaches the internet: "private is blocked" would pass vacuously.
  needs: ['createVpc', 'addSubnet', 'enableNat'],
  phases: ['vpc1'],
  probes: [
    // The positive controls: vpc1 private still reaches vpc1 public.
    ...intraVpc('vpc1', VPC1, { control: true }).filter((p) => p.from === PRIV1),
    probe('vpc1', 'icmp', PRIV1, INTERNET, 'blocked', { path: NAT_PATH }),
    probe('vpc1', 'http', PRIV1, INTERNET, 'blocked', { port: 80, path: NAT_PATH }),
  ],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) {
      if (probe.expected === 'blocked') expect.soft(probe).toBeBlockedWithControl(probe.controls);
      else expect.soft(probe).toConnect();
    }
  },
});
