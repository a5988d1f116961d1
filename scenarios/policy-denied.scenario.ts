import { defineCriterion } from '../src/criteria/define.js';
import { APP_PORT, POLICY_DENIED_PORTS, PRIV1, PUB1 } from '../src/plan/stage4/lab.js';
import { probe } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'policy-denied',
  title: 'after the policy, tcp/22 and tcp/443 on vpc1 public are blocked although the harness listens there',
  advisory: false,
  order: 10,
  needs: ['createVpc', 'addSubnet', 'deployHttp', 'applyPolicy'],
  phases: ['policy'],
  probes: [
    // Observations, tried once: whether the denied ports answered before the
    // policy. A tool that already blocks them when it creates the subnet gets
    // an info finding, never a failure: the criterion is the state after it.
    ...POLICY_DENIED_PORTS.map((port) =>
      probe('policy-before', 'tcp', PRIV1, PUB1, 'allowed', { port, once: true }),
    ),
    // The control: the same source still reaches the same host through the policy.
    probe('policy-after', 'http', PRIV1, PUB1, 'allowed', { port: APP_PORT, control: true }),
    // The listener answers inside its own namespace (over lo, which a policy
    // normally lets through): a REJECT reading below is then a rule, not a
    // dead listener. A DROP (timeout) needs no such proof.
    ...POLICY_DENIED_PORTS.map((port) =>
      probe('policy-after', 'tcp', PUB1, PUB1, 'allowed', { port, once: true }),
    ),
    ...POLICY_DENIED_PORTS.map((port) => probe('policy-after', 'tcp', PRIV1, PUB1, 'blocked', { port })),
  ],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) {
      if (probe.once) continue;
      if (probe.expected === 'blocked') expect.soft(probe).toBeBlockedWithControl(probe.controls);
      else expect.soft(probe).toConnect();
    }
  },
});
