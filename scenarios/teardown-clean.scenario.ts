import { defineCriterion } from '../src/criteria/define.js';

/**
 * Snapshot categories compared: namespaces, links, addresses, routes, iptables
 * rules, processes. A changed built-in chain policy is a finding, not a leftover.
 */
export default defineCriterion({
  id: 'teardown-clean',
  title: 'after teardown, no namespace, link, route, iptables rule or process the run added is left',
  advisory: false,
  order: 11,
  needs: ['createVpc', 'teardownVpc'],
  // A tool with only a global clean-up is judged after it (teardown-independent is not).
  standIns: { teardownVpc: 'teardownAll' },
  phases: ['teardown'],
  probes: [],
  assert(lab, expect) {
    const phase = lab.phase('teardown');
    expect.soft(phase).toHaveBeenReached();
    if (!phase.reached) return;
    expect.soft(phase).toHaveBothSnapshots();
    if (!phase.snapshots) return;
    // Tearing down nothing is not a clean teardown: something must have been built.
    expect.soft(lab).toHaveBuiltSomething();
    if (!lab.builtSomething) return;
    expect.soft(phase.leftovers).toBeEmpty();
  },
});
