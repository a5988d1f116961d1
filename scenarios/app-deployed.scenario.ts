import { defineCriterion } from '../src/criteria/define.js';
import { APP_PORT, PRIV1, PUB1 } from '../src/plan/stage4/lab.js';
import { probe } from '../src/plan/stage4/probe-specs.js';

export default defineCriterion({
  id: 'app-deployed',
  title: 'HTTP GET from vpc1 private to vpc1 public :80 answers 200',
  advisory: false,
  order: 3,
  needs: ['createVpc', 'addSubnet', 'deployHttp'],
  phases: ['vpc1'],
  probes: [probe('vpc1', 'http', PRIV1, PUB1, 'allowed', { port: APP_PORT })],
  assert(lab, expect) {
    for (const probe of lab.probesToJudge(expect)) expect.soft(probe).toAnswerHttp(200);
  },
});
