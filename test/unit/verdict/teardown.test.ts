import { describe, expect, it } from 'vitest';
import type { CriterionResult } from '../../../src/model/summary.js';
import { diffSnapshots, findingsFrom } from '../../../src/verdict/index.js';
import { evaluate } from '../../support/criteria.js';
import { BASELINE, buildEvidence, phaseOf } from './lab-model.js';

const teardown = (results: CriterionResult[]) =>
  results.find((r) => r.id === 'teardown-clean') as CriterionResult;

describe('teardown-clean', () => {
  it('fails on anything the run added, listing it by kind', async () => {
    const evidence = await buildEvidence({
      snapshotAfter: (b) => ({
        ...b,
        netns: [...b.netns, 'vpc1-publicsub'],
        rules: [...b.rules, 'nat -A POSTROUTING -s 10.0.1.0/24 -o eth0 -j MASQUERADE'],
        processes: [...b.processes, 'python3 -m http.server 80'],
      }),
    });
    const r = teardown(evaluate(evidence));
    expect(r.status).toBe('failed');
    expect(r.message).toBe(
      'left behind after teardown: 1 namespaces (vpc1-publicsub); 1 iptables rules (nat -A POSTROUTING -s 10.0.1.0/24 -o eth0 -j MASQUERADE); 1 processes (python3 -m http.server 80)',
    );
    expect(findingsFrom(evidence).map((f) => f.id)).toContain('leftover-process');
  });

  it('passes when only pre-existing state was removed, but reports that as a finding', async () => {
    const evidence = await buildEvidence({ snapshotAfter: (b) => ({ ...b, rules: [] }) });
    expect(teardown(evaluate(evidence)).status).toBe('passed');
    const removed = findingsFrom(evidence).find((f) => f.id === 'baseline-removed');
    expect(removed?.message).toBe(
      'the run removed state that existed before it started: 2 iptables rules (*filter -A FORWARD -j SANDBOX, *filter :SANDBOX -)',
    );
  });

  it('is an error without snapshots', async () => {
    const evidence = await buildEvidence();
    delete phaseOf(evidence, 'teardown').snapshotAfter;
    expect(teardown(evaluate(evidence))).toMatchObject({ status: 'error' });
  });

  it('names a failed teardown step', async () => {
    const evidence = await buildEvidence({
      stepStatus: (step, phase) => (step === 'teardownVpc' && phase === 'teardown' ? 'failed' : 'ran'),
      snapshotAfter: (b) => ({ ...b, links: [...b.links, 'br-vpc2'] }),
    });
    expect(teardown(evaluate(evidence)).message).toMatch(
      /1 links \(br-vpc2\); note: step teardownVpc failed/,
    );
  });

  it('reports a changed chain policy as a finding, not a leftover', async () => {
    const evidence = await buildEvidence({
      snapshotAfter: (b) => ({ ...b, policies: ['*filter FORWARD DROP'] }),
    });
    expect(teardown(evaluate(evidence)).status).toBe('passed');
    const changed = findingsFrom(evidence).find((f) => f.id === 'policy-changed');
    expect(changed?.message).toBe(
      'built-in chain policies differ after teardown: before all ACCEPT, after *filter FORWARD DROP',
    );
  });
});

describe('diffSnapshots', () => {
  it('compares both ways, counting repeats: one more process with a command line already running is a leftover', () => {
    const { added, removed } = diffSnapshots(
      { ...BASELINE, processes: ['sleep 100'] },
      { ...BASELINE, links: ['eth0', 'veth1'], processes: ['sleep 100', 'sleep 100', 'sleep 100'] },
    );
    expect(added.links).toEqual(['veth1']);
    expect(removed.links).toEqual(['lo']);
    expect(added.processes).toEqual(['sleep 100', 'sleep 100']);
    expect(removed.processes).toEqual([]);
    expect(added.rules).toEqual([]);
  });
});
