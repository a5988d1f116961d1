import { defineCriterion } from '../src/criteria/define.js';
import { PRIV1, PRIV2, PUB1, PUB2 } from '../src/plan/stage4/lab.js';
import { probe } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'source-preserved',
  title:
    "inside each VPC and across peering (when the target peers), the harness listener sees the sender's own address",
  advisory: true,
  order: 14,
  needs: ['createVpc', 'addSubnet'],
  phases: ['vpc1', 'vpc2', 'peering'],
  // TCP to the harness listener: it reports the source address it saw.
  probes: [
    probe('vpc1', 'tcp', PUB1, PRIV1, 'allowed'),
    probe('vpc1', 'tcp', PRIV1, PUB1, 'allowed'),
    probe('vpc2', 'tcp', PUB2, PRIV2, 'allowed'),
    probe('vpc2', 'tcp', PRIV2, PUB2, 'allowed'),
    probe('peering', 'tcp', PUB1, PUB2, 'allowed'),
    probe('peering', 'tcp', PUB2, PUB1, 'allowed'),
  ],
  assert(lab, expect) {
    // A target that does not peer is judged inside its VPCs only.
    const peers = !lab.unsupported('peerVpcs');
    for (const probe of lab.probesToJudge(expect, (phase) => peers || phase.id !== 'peering')) {
      expect.soft(probe).toKeepSourceAddress();
    }
  },
  summary: (judged, lab) => {
    const tcp = judged.flatMap((p) => p.probes).filter((p) => p.kind === 'tcp');
    const skipped = lab.unsupported('peerVpcs')
      ? '; across peering not checked (the target does not peer)'
      : '';
    return `every listener saw the sender's own address (${tcp.length} TCP probes)${skipped}`;
  },
});
