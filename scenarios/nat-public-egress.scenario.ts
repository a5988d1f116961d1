import { defineCriterion } from '../src/criteria/define.js';
import { INTERNET, PUB1 } from '../src/plan/stage4/lab.js';
import { probe } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'nat-public-egress',
  title:
    'vpc1 public reaches the internet host 198.51.100.10 (ICMP and HTTP), which saw the source 203.0.113.10',
  advisory: false,
  order: 4,
  needs: ['createVpc', 'addSubnet', 'enableNat'],
  phases: ['vpc1'],
  probes: [
    probe('vpc1', 'icmp', PUB1, INTERNET, 'allowed'),
    // The internet host serves HTTP on :80 and records each request's source.
    probe('vpc1', 'http', PUB1, INTERNET, 'allowed', { port: 80 }),
  ],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) expect.soft(probe).toConnect();
    // Reaching it proves routing; only the source address it saw proves NAT.
    if (lab.allPassedSoFar()) expect.soft(lab.phase('vpc1').internetHost).toHaveSeenTheUplinkAddress();
  },
});
