import { describe, expect, it } from 'vitest';
import { ALL_CRITERIA, STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import type { CriterionId } from '../../../src/model/criteria.js';
import type { LabEvidence } from '../../../src/model/evidence.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { NEGATIVE_TIMEOUT } from '../../../src/probes/runner.js';
import { verdictOf } from '../../../src/verdict/index.js';
import { evaluate } from '../../support/criteria.js';
import { buildEvidence, expectedNetwork, type Flow, patchProbe, phaseOf } from './lab-model.js';

const PRIV1 = 'vpc1/privatesub';
const BLOCKED_CRITERIA: CriterionId[] = [
  'nat-private-blocked',
  'isolation-default',
  'peering-private-blocked',
  'policy-denied',
];

function get(results: CriterionResult[], id: CriterionId): CriterionResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}
const statuses = (results: CriterionResult[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));

describe('a lab that does what the plan expects', () => {
  it('passes every criterion, in the order of ALL_CRITERIA, and the verdict is pass', async () => {
    const results = evaluate(await buildEvidence());
    expect(results.map((r) => r.id)).toEqual([...ALL_CRITERIA]);
    for (const r of results) {
      expect(r.status, `${r.id}: ${r.message}`).toBe('passed');
      expect(r.message).not.toBe('');
      expect(r.advisory).toBe(!(STAGE4_CRITERIA as readonly string[]).includes(r.id));
    }
    expect(verdictOf(results)).toBe('pass');
  });

  it('lists the probes each criterion used, controls included', async () => {
    const results = evaluate(await buildEvidence());
    const isolation = get(results, 'isolation-default');
    expect(isolation.probes.filter((p) => p.expected === 'blocked')).toHaveLength(16);
    expect(isolation.probes.filter((p) => p.control)).toHaveLength(8);
    expect(isolation.message).toBe(
      '8 must-connect probes connected; 16 must-be-blocked probes blocked after positive controls from the same source passed',
    );
    expect(get(results, 'nat-private-blocked').probes.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'vpc1:icmp:vpc1/privatesub->vpc1/publicsub',
        'vpc1:icmp:vpc1/privatesub->internet',
      ]),
    );
    expect(get(results, 'nat-public-egress').message).toContain('the internet host saw 203.0.113.10');
    expect(get(results, 'vpc-created').message).toContain(
      'vpc1/publicsub in vpc1-publicsub (10.0.1.2 via 10.0.1.1)',
    );
  });
});

describe('the positive-control rule', () => {
  it('a "blocked" reading without a passing control from the same source fails: cannot tell blocked from broken', async () => {
    // vpc1 private cannot reach anything in the vpc2 phase: its controls fail, its cross-VPC probes "block".
    const evidence = await buildEvidence({
      network: (f: Flow) => (f.stage === 'vpc2' && f.from === PRIV1 ? 'timeout' : expectedNetwork(f)),
    });
    const isolation = get(evaluate(evidence), 'isolation-default');
    expect(isolation.status).toBe('failed');
    expect(isolation.message).toMatch(/^positive control (ICMP|TCP) vpc1 private -> vpc1 public/);
    const negatives = phaseOf(evidence, 'vpc2').probes.filter(
      (p) => p.from.subnet === PRIV1 && p.expected === 'blocked',
    );
    expect(negatives.every((p) => p.controlsPassed === false && p.outcome === 'timeout')).toBe(true);
  });

  it('judges the controls itself, even when the runner did not mark the probe', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'vpc1:icmp:vpc1/privatesub->vpc1/publicsub', { outcome: 'timeout', tries: 90 });
    patchProbe(evidence, 'vpc1:icmp:vpc1/privatesub->internet', { controlsPassed: undefined });
    const results = evaluate(evidence);
    const nat = get(results, 'nat-private-blocked');
    expect(nat.status).toBe('failed');
    expect(get(results, 'intra-vpc-routing').status).toBe('failed');
    expect(nat.message).toContain(
      'positive control ICMP vpc1 private -> vpc1 public: expected allowed, got timeout after 90 tries',
    );
    expect(nat.message).toMatch(/and 2 more failures/);
  });

  it('does not count a negative probe that ran before its controls passed', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'vpc2:tcp:vpc2/privatesub->vpc1/publicsub:7070', { controlsPassed: false });
    const isolation = get(evaluate(evidence), 'isolation-default');
    expect(isolation.status).toBe('failed');
    expect(isolation.message).toContain('it ran before its positive controls had passed');
    expect(isolation.message).toContain('cannot be told from a broken network');
  });

  it('a broken control makes the blocked criterion an error, not a pass', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'peering:tcp:vpc2/privatesub->vpc2/publicsub:7070', {
      outcome: 'error',
      detail: 'the probe tool is missing',
    });
    const results = evaluate(evidence);
    const peering = get(results, 'peering-private-blocked');
    expect(peering.status).toBe('error');
    expect(peering.message).toMatch(
      /^positive control TCP vpc2 private -> vpc2 public:7070 could not be run or broke/,
    );
    expect(peering.message).toContain('(and 4 more like it)');
    expect(get(results, 'peering-public').status).toBe('passed');
  });

  it('a stall that outlasts the deadline fails every "blocked" criterion instead of passing it', async () => {
    const results = evaluate(await buildEvidence({ network: () => 'timeout' }));
    for (const id of BLOCKED_CRITERIA) {
      expect(get(results, id).status, id).toBe('failed');
    }
    expect(get(results, 'isolation-default').message).toMatch(/positive control/);
    expect(verdictOf(results)).toBe('fail');
  });
});

describe('outcomes that are never "blocked"', () => {
  it('error on a must-be-blocked probe is an error, never a pass', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'vpc1:http:vpc1/privatesub->internet:80', {
      outcome: 'error',
      detail: 'the namespace is gone: Cannot open network namespace "vpc1-privatesub"',
    });
    const nat = get(evaluate(evidence), 'nat-private-blocked');
    expect(nat.status).toBe('error');
    expect(nat.message).toContain(
      'HTTP vpc1 private -> internet:80 could not be run or broke, and a broken probe is never read as blocked',
    );
  });

  it('a harness whose probe tool is missing passes nothing', async () => {
    const results = evaluate(await buildEvidence({ network: () => 'error' }));
    for (const r of results.filter((r) => r.probes.length > 0)) expect(r.status, r.id).toBe('error');
    for (const id of BLOCKED_CRITERIA) expect(get(results, id).status).toBe('error');
  });

  it('refused where the harness listener answers other probes is a REJECT rule: blocked', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.stage === 'vpc2' && f.kind === 'tcp' && f.from === PRIV1 && f.to === 'vpc2/publicsub'
          ? 'refused'
          : expectedNetwork(f),
    });
    const isolation = get(evaluate(evidence), 'isolation-default');
    expect(isolation.status).toBe('passed');
  });

  it('refused without proof that the listener there is alive may be a closed port: not blocked', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'policy-before:tcp:vpc1/privatesub->vpc1/publicsub:22', { outcome: 'refused' });
    patchProbe(evidence, 'policy-after:tcp:vpc1/publicsub->vpc1/publicsub:22', { outcome: 'refused' });
    patchProbe(evidence, 'policy-after:tcp:vpc1/privatesub->vpc1/publicsub:22', { outcome: 'refused' });
    const denied = get(evaluate(evidence), 'policy-denied');
    expect(denied.status).toBe('failed');
    expect(denied.message).toContain('was refused, not blocked');
  });

  it('refused on the policy ports after the listeners answered before the policy is a REJECT: blocked', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'policy-after:tcp:vpc1/privatesub->vpc1/publicsub:22', { outcome: 'refused' });
    expect(get(evaluate(evidence), 'policy-denied').status).toBe('passed');
  });

  it('a must-be-blocked probe that connects fails, naming the command, expected and actual', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.stage === 'vpc1' && f.from === PRIV1 && f.to === 'internet' && f.kind === 'icmp'
          ? 'connected'
          : expectedNetwork(f),
    });
    const nat = get(evaluate(evidence), 'nat-private-blocked');
    expect(nat.status).toBe('failed');
    expect(nat.message).toBe(
      `ICMP vpc1 private -> internet got through: expected blocked, got connected (64 bytes from 198.51.100.10: icmp_seq=1 ttl=63 time=0.1 ms); command: ip netns exec vpc1-privatesub ping -n -c 1 -W ${NEGATIVE_TIMEOUT.floorSec} 198.51.100.10`,
    );
  });
});

describe('unsupported and failed steps', () => {
  it('an unsupported step makes the criteria that need it not-run, naming the step', async () => {
    const evidence = await buildEvidence();
    evidence.unsupportedSteps = ['peerVpcs'];
    const results = evaluate(evidence);
    for (const id of ['peering-public', 'peering-private-blocked'] as const) {
      expect(get(results, id)).toMatchObject({ status: 'not-run' });
      expect(get(results, id).message).toMatch(
        /^needs step peerVpcs, which the profile does not support \(null\)/,
      );
    }
    expect(get(results, 'source-preserved')).toMatchObject({ status: 'passed' });
    expect(get(results, 'source-preserved').message).toContain('across peering not checked');
    expect(get(results, 'isolation-default').status).toBe('passed');
    expect(verdictOf(results)).toBe('fail');
  });

  it('also reads a step recorded as unsupported', async () => {
    const evidence = await buildEvidence({
      stepStatus: (step) => (step === 'deployHttp' ? 'unsupported' : 'ran'),
    });
    const results = evaluate(evidence);
    expect(statuses(results)).toMatchObject({
      'app-deployed': 'not-run',
      'policy-allowed': 'not-run',
      'policy-denied': 'not-run',
      'intra-vpc-routing': 'passed',
    });
  });

  it('teardownAll stands in for a null teardownVpc in teardown-clean only, when it ran commands', async () => {
    const evidence = await buildEvidence();
    evidence.unsupportedSteps = ['teardownVpc'];
    const teardown = phaseOf(evidence, 'teardown');
    // A profile without teardownAll records none (an optional step with no commands).
    teardown.steps = teardown.steps.filter((s) => s.step !== 'teardownAll');
    expect(get(evaluate(evidence), 'teardown-clean').status).toBe('not-run');
    teardown.steps.push({
      step: 'teardownAll',
      phase: 'teardown',
      status: 'ran',
      commands: [{ command: 'vpcctl nuke', exitCode: 0, durationMs: 5, stderr: '' }],
      durationMs: 5,
    });
    const results = evaluate(evidence);
    expect(get(results, 'teardown-clean').status).toBe('passed');
    expect(get(results, 'teardown-independent')).toMatchObject({ status: 'not-run' });
    expect(get(results, 'teardown-independent').message).toMatch(/^needs step teardownVpc/);
  });

  it('a failed step does not stop judging by probes, but the message says so', async () => {
    const evidence = await buildEvidence({ stepStatus: (step) => (step === 'enableNat' ? 'failed' : 'ran') });
    const step = phaseOf(evidence, 'vpc1').steps.find((s) => s.step === 'enableNat');
    if (step)
      step.commands = [
        {
          command: 'vpcctl enable-nat',
          exitCode: 1,
          durationMs: 3,
          stderr: 'iptables: No chain/target/match by that name.\n',
        },
      ];
    const nat = get(evaluate(evidence), 'nat-public-egress');
    expect(nat.status).toBe('passed');
    expect(nat.message).toMatch(
      /; note: passed although step enableNat failed \(exit 1: iptables: No chain\/target\/match by that name.\)$/,
    );
  });

  it('a failed step is quoted by its last stderr line (after chatter or a traceback), or by the signal that killed it', async () => {
    const evidence = await buildEvidence({ stepStatus: (step) => (step === 'enableNat' ? 'failed' : 'ran') });
    const step = phaseOf(evidence, 'vpc1').steps.find((s) => s.step === 'enableNat');
    if (!step) throw new Error('no enableNat step');
    step.commands = [
      {
        command: 'vpcctl enable-nat',
        exitCode: 1,
        durationMs: 3,
        stderr: 'Traceback (most recent call last):\n  File "vpcctl.py", line 3\nKeyError: eth0\n\n',
      },
    ];
    expect(get(evaluate(evidence), 'nat-public-egress').message).toMatch(
      /note: passed although step enableNat failed \(exit 1: KeyError: eth0\)$/,
    );
    step.commands = [
      { command: 'vpcctl enable-nat', exitCode: undefined, signal: 'SIGSEGV', durationMs: 3, stderr: '' },
    ];
    expect(get(evaluate(evidence), 'nat-public-egress').message).toMatch(
      /note: passed although step enableNat failed \(killed by SIGSEGV\)$/,
    );
  });

  it('a failed step with failing probes is a failure that names the step', async () => {
    const evidence = await buildEvidence({
      stepStatus: (step) => (step === 'enableNat' ? 'timeout' : 'ran'),
      network: (f) => (f.to === 'internet' ? 'timeout' : expectedNetwork(f)),
    });
    const nat = get(evaluate(evidence), 'nat-public-egress');
    expect(nat.status).toBe('failed');
    expect(nat.message).toMatch(/^ICMP vpc1 public -> internet: expected allowed, got timeout/);
    expect(nat.message).toMatch(/note: step enableNat timed out$/);
  });
});

describe('subnets that were not discovered', () => {
  it('fail the criteria that probe them, with the discovery problem', async () => {
    const evidence = await buildEvidence({
      found: (key, stage) => !(key === 'vpc2/privatesub' && stage === 'vpc2'),
    });
    const results = evaluate(evidence);
    expect(get(results, 'isolation-default').message).toMatch(
      /^subnet vpc2\/privatesub \(10.1.2.0\/24\) was not found in phase vpc2: no namespace holds an address inside 10.1.2.0\/24/,
    );
    expect(statuses(results)).toMatchObject({
      'vpc-created': 'failed',
      'isolation-default': 'failed',
      'intra-vpc-routing': 'failed',
      'nat-private-blocked': 'passed',
    });
  });

  it('vpc-created needs a gateway that answers', async () => {
    const evidence = await buildEvidence();
    const pub1 = phaseOf(evidence, 'vpc1').discovery[0];
    if (pub1)
      Object.assign(pub1, {
        gatewayAnswers: false,
        problem: 'gateway 10.0.1.1 does not answer a ping from vpc1-publicsub: timeout',
      });
    const created = get(evaluate(evidence), 'vpc-created');
    expect(created.status).toBe('failed');
    expect(created.message).toBe(
      'subnet vpc1/publicsub in vpc1-publicsub: gateway 10.0.1.1 does not answer a ping from vpc1-publicsub: timeout',
    );
  });
});

describe('runs that break or end early', () => {
  it('a harness error makes every criterion an error', async () => {
    const evidence = await buildEvidence();
    evidence.harnessError = 'listener did not print ready within 10 s\nstack...';
    const results = evaluate(evidence);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(['error']));
    expect(results[0]?.message).toBe(
      'not judged: the harness itself failed: listener did not print ready within 10 s',
    );
    expect(verdictOf(results)).toBe('fail');
  });

  it('the deadline: unreached phases are not-run, and the verdict is fail even if all else passed', async () => {
    const evidence = await buildEvidence();
    evidence.deadlineHit = true;
    for (const id of ['policy', 'inspect', 'teardown']) phaseOf(evidence, id).reached = false;
    const results = evaluate(evidence);
    expect(statuses(results)).toMatchObject({
      'policy-allowed': 'not-run',
      'policy-denied': 'not-run',
      'teardown-clean': 'not-run',
      'inspect-works': 'not-run',
      'isolation-default': 'passed',
    });
    expect(get(results, 'policy-denied').message).toBe(
      'phase policy was not reached: the run hit its deadline first',
    );
    expect(verdictOf(results, { deadlineHit: true })).toBe('fail');
    expect(verdictOf(evaluate(await buildEvidence()), { deadlineHit: true })).toBe('fail');
  });

  it('the deadline: probes cut short in a reached phase are not-run, not errors', async () => {
    const evidence = await buildEvidence();
    evidence.deadlineHit = true;
    const peering = phaseOf(evidence, 'peering');
    peering.probes = peering.probes.filter((p) => p.expected === 'allowed');
    expect(get(evaluate(evidence), 'peering-private-blocked')).toMatchObject({ status: 'not-run' });
    evidence.deadlineHit = false;
    expect(get(evaluate(evidence), 'peering-private-blocked').message).toMatch(
      /^the harness recorded no result for probe peering:/,
    );
  });

  it('a phase not reached for another reason is not-run and says so', async () => {
    const evidence: LabEvidence = await buildEvidence();
    evidence.phases = evidence.phases.filter((p) => p.phase !== 'peering');
    const peering = get(evaluate(evidence), 'peering-public');
    expect(peering).toMatchObject({
      status: 'not-run',
      message: 'phase peering was not reached: an earlier problem stopped the run before it',
    });
  });
});

describe('what criteria ask of the answers', () => {
  it('nat-public-egress needs the internet host to have seen the uplink address', async () => {
    const leaked = evaluate(await buildEvidence({ internetSources: ['10.0.1.2'] }));
    expect(get(leaked, 'nat-public-egress')).toMatchObject({ status: 'failed' });
    expect(get(leaked, 'nat-public-egress').message).toBe(
      'the internet host saw 10.0.1.2, not the uplink address 203.0.113.10: the traffic was not masqueraded',
    );
    expect(get(evaluate(await buildEvidence({ internetSources: [] })), 'nat-public-egress').status).toBe(
      'error',
    );
  });

  it('app-deployed needs HTTP 200', async () => {
    const evidence = await buildEvidence();
    patchProbe(evidence, 'vpc1:http:vpc1/privatesub->vpc1/publicsub:80', { httpStatus: 404 });
    expect(get(evaluate(evidence), 'app-deployed').message).toMatch(
      /^HTTP vpc1 private -> vpc1 public:80 connected but got HTTP 404, not 200; command: /,
    );
  });

  it('source-preserved fails when the listener saw a rewritten source', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.stage === 'vpc1' && f.kind === 'tcp' && f.from === PRIV1
          ? { outcome: 'connected', seen: '10.0.1.1' }
          : expectedNetwork(f),
    });
    const results = evaluate(evidence);
    expect(get(results, 'source-preserved').message).toMatch(
      /^TCP vpc1 private -> vpc1 public:7070: the listener saw 10.0.1.1, not the sender's own 10.0.2.2: the source address was rewritten/,
    );
    expect(get(results, 'intra-vpc-routing').status).toBe('passed');
  });

  it('policy-denied is judged after the policy: a port already blocked before it is no failure', async () => {
    const evidence = await buildEvidence({
      network: (f) => (f.stage === 'policy-before' && f.port === 443 ? 'timeout' : expectedNetwork(f)),
    });
    expect(get(evaluate(evidence), 'policy-denied').status).toBe('passed');
    // Tried once: the observation spends no settle window.
    const before = phaseOf(evidence, 'policy').probes.find(
      (p) => p.id === 'policy-before:tcp:vpc1/privatesub->vpc1/publicsub:443',
    );
    expect(before).toMatchObject({ outcome: 'timeout', tries: 1, once: true });
  });

  it('policy: when :80 stops answering, policy-allowed fails and 22/443 cannot count as blocked', async () => {
    const evidence = await buildEvidence({
      network: (f) => (f.stage === 'policy-after' ? 'timeout' : expectedNetwork(f)),
    });
    const results = evaluate(evidence);
    expect(get(results, 'policy-allowed').message).toMatch(
      /^HTTP vpc1 private -> vpc1 public:80: expected allowed, got timeout/,
    );
    expect(get(results, 'policy-denied').message).toMatch(
      /^positive control HTTP vpc1 private -> vpc1 public:80/,
    );
  });
});

describe('a do-nothing target', () => {
  const accepted = (phase: string) => {
    const base = { stdout: '', stderr: '', leftBehind: [], exitCode: 0 };
    if (phase === 'bad-input') {
      return [
        {
          ...base,
          title: 'create-vpc with CIDR 10.0.0.0/33',
          command: 'vpcctl create-vpc --cidr 10.0.0.0/33',
          want: 'reject' as const,
          criterion: 'rejects-bad-input' as const,
        },
      ];
    }
    if (phase === 'vpc1')
      return [
        {
          ...base,
          title: 'create vpc1 again',
          command: 'vpcctl create-vpc',
          want: 'accept' as const,
          criterion: 'idempotent-create' as const,
        },
      ];
    if (phase === 'inspect')
      return [
        {
          ...base,
          title: 'inspect',
          command: 'vpcctl inspect',
          want: 'accept' as const,
          criterion: 'inspect-works' as const,
        },
      ];
    return [];
  };

  it('fails every criterion, and never passes a "blocked" one vacuously', async () => {
    const evidence = await buildEvidence({ found: () => false, checks: accepted });
    const results = evaluate(evidence);
    for (const r of results) expect(r.status, `${r.id}: ${r.message}`).toBe('failed');
    expect(verdictOf(results)).toBe('fail');
    expect(get(results, 'teardown-clean').message).toMatch(/nothing was ever built/);
    expect(get(results, 'idempotent-create').message).toMatch(/the VPC was never built/);
    // Nothing was probed from namespaces that do not exist.
    expect(phaseOf(evidence, 'vpc2').probes.every((p) => p.outcome === 'error' && p.tries === 0)).toBe(true);
  });

  it('that always exits 1 with a message does not pass rejects-bad-input', async () => {
    const evidence = await buildEvidence({ found: () => false, stepStatus: () => 'failed' });
    const rejects = get(evaluate(evidence), 'rejects-bad-input');
    expect(rejects.status).toBe('failed');
    expect(rejects.message).toMatch(/the target also fails on valid input/);
  });

  it('whose namespaces exist but carry no traffic fails every probe criterion', async () => {
    const results = evaluate(await buildEvidence({ network: () => 'timeout' }));
    for (const r of results.filter((r) => r.probes.length > 0)) expect(r.status, r.id).toBe('failed');
  });
});
