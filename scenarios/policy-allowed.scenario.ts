import { defineCriterion } from '../src/criteria/define.js';
import { APP_PORT, PRIV1, PUB1 } from '../src/plan/stage4/lab.js';
import { probe } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'policy-allowed',
  title: 'after the policy, tcp/80 on vpc1 public still answers',
  advisory: false,
  order: 9,
  // The policy's allowed port is the app's.
  needs: ['createVpc', 'addSubnet', 'deployHttp', 'applyPolicy'],
  phases: ['policy'],
  probes: [probe('policy-after', 'http', PRIV1, PUB1, 'allowed', { port: APP_PORT })],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) expect.soft(probe).toAnswerHttp();
  },
});
