import { defineCriterion } from '../src/criteria/define.js';

/** Discovery finds every subnet by its addresses; its default route's gateway must answer a ping. */
export default defineCriterion({
  id: 'vpc-created',
  title:
    'every subnet has a namespace holding a host address inside its CIDR, with a default route whose gateway answers a ping',
  advisory: false,
  order: 1,
  needs: ['createVpc', 'addSubnet'],
  phases: ['vpc1', 'vpc2'],
  probes: [],
  assert(lab, expect) {
    // Each subnet is judged in the first phase that expects it.
    const seen = new Set<string>();
    for (const phase of lab.phases()) {
      const subnets = phase.expectedSubnets.filter((key) => !seen.has(key));
      for (const key of subnets) seen.add(key);
      if (subnets.length === 0) continue;
      expect.soft(phase).toHaveBeenReached();
      if (!phase.reached) continue;
      for (const key of subnets) expect.soft(phase.subnet(key)).toHaveAnsweringGateway();
    }
  },
  summary: (judged) => `${judged.length} subnets found: ${judged.map((p) => p.message).join(', ')}`,
});
