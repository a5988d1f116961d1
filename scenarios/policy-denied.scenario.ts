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
    // Before the policy, the harness listeners on the denied ports answer.
    ...POLICY_DENIED_PORTS.map((port) =>
      probe('policy-before', 'tcp', PRIV1, PUB1, 'allowed', { port, control: true }),
    ),
    // The control: the same source still reaches the same host through the policy.
    probe('policy-after', 'http', PRIV1, PUB1, 'allowed', { port: APP_PORT, control: true }),
    ...POLICY_DENIED_PORTS.map((port) => probe('policy-after', 'tcp', PRIV1, PUB1, 'blocked', { port })),
  ],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) {
      if (probe.expected === 'blocked') expect.soft(probe).toBeBlockedWithControl(probe.controls);
      else expect.soft(probe).toConnect();
    }
  },
});
