import { describe, expect, it } from 'vitest';
import { type CriterionDefinitionError, validateCriterion } from '../../../src/criteria/define.js';
import { CRITERIA, stageProbes } from '../../../src/criteria/registry.js';
import type { CriterionId } from '../../../src/model/criteria.js';
import type { LabEvidence } from '../../../src/model/evidence.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { INTERNET, PRIV1, PUB1, PUB2 } from '../../../src/plan/stage4/lab.js';
import { probe } from '../../../src/plan/stage4/probe-specs.js';
import { findingsFrom } from '../../../src/verdict/findings.js';
import { evaluate } from '../../support/criteria.js';
import { buildEvidence, expectedNetwork, type Flow, patchProbe, phaseOf } from '../verdict/lab-model.js';

/** The control rules of docs/profiles.md "Positive controls", over fake evidence. */

function get(results: CriterionResult[], id: CriterionId): CriterionResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

const isPublic = (key: string) => key.endsWith('/publicsub');
const crossesVpcs = (f: Flow) => f.to !== INTERNET && f.from.split('/')[0] !== f.to.split('/')[0];

/** Every same-source control of a criterion's blocked probes in a phase connected (what the old rule asked). */
function sourceControlsConnected(evidence: LabEvidence, phase: string, from: readonly string[]): boolean {
  const controls = phaseOf(evidence, phase).probes.filter(
    (p) => p.control && from.includes(p.from.subnet ?? ''),
  );
  return controls.length > 0 && controls.every((p) => p.outcome === 'connected');
}

describe('nat-private-blocked needs vpc1 public to reach the internet host in the same stage', () => {
  it('fails, naming the missing path, when nothing in vpc1 reaches the internet (same-source controls passed)', async () => {
    const evidence = await buildEvidence({
      network: (f) => (f.to === INTERNET ? 'timeout' : expectedNetwork(f)),
    });
    // The old rule would have passed it: vpc1 private still reaches vpc1 public.
    expect(sourceControlsConnected(evidence, 'vpc1', [PRIV1])).toBe(true);
    const results = evaluate(evidence);
    expect(get(results, 'nat-public-egress').status).toBe('failed');
    const blocked = get(results, 'nat-private-blocked');
    expect(blocked.status).toBe('failed');
    expect(blocked.message).toMatch(
      /^nothing in vpc1 reaches the internet host \(ICMP vpc1 public -> internet got timeout after \d+ tries; HTTP vpc1 public -> internet:80 got timeout( after \d+ tries)?\), so vpc1 private being blocked \(ICMP vpc1 private -> internet: timeout\) proves nothing; command: /,
    );
    // The path controls are shown with it, as its other controls are.
    expect(blocked.probes.map((p) => p.id)).toContain('vpc1:icmp:vpc1/publicsub->internet');
  });

  it('passes when one kind of traffic from vpc1 public reaches the internet host: the path carries traffic', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.from === PUB1 && f.to === INTERNET && f.kind === 'icmp' ? 'timeout' : expectedNetwork(f),
    });
    const results = evaluate(evidence);
    expect(get(results, 'nat-public-egress').status).toBe('failed');
    expect(get(results, 'nat-private-blocked').status).toBe('passed');
  });

  it('is an error, never a pass, when every path control broke', async () => {
    const evidence = await buildEvidence();
    for (const id of ['vpc1:icmp:vpc1/publicsub->internet', 'vpc1:http:vpc1/publicsub->internet:80']) {
      patchProbe(evidence, id, { outcome: 'error', detail: 'ping: not found' });
    }
    const blocked = get(evaluate(evidence), 'nat-private-blocked');
    expect(blocked.status).toBe('error');
    expect(blocked.message).toMatch(/but every path control broke .*: cannot tell blocked from broken/);
  });

  it('still needs the source alive: a dead vpc1 private fails on its own control first', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.stage === 'vpc1' && f.from === PRIV1 && f.to === PUB1 ? 'timeout' : expectedNetwork(f),
    });
    expect(get(evaluate(evidence), 'nat-private-blocked').message).toMatch(/^positive control /);
  });
});

describe('peering-private-blocked needs a public pair to cross the same peering in the same stage', () => {
  it('fails, naming the peering, when no cross-VPC path works (intra-VPC controls passed)', async () => {
    const evidence = await buildEvidence({
      network: (f) => (f.stage === 'peering' && crossesVpcs(f) ? 'timeout' : expectedNetwork(f)),
    });
    expect(sourceControlsConnected(evidence, 'peering', [PUB1, PRIV1, PUB2, 'vpc2/privatesub'])).toBe(true);
    const results = evaluate(evidence);
    expect(get(results, 'peering-public').status).toBe('failed');
    const blocked = get(results, 'peering-private-blocked');
    expect(blocked.status).toBe('failed');
    expect(blocked.message).toMatch(
      /^nothing crosses the peering between vpc1 and vpc2 \(ICMP vpc1 public -> vpc2 public got timeout after \d+ tries; TCP vpc1 public -> vpc2 public:7070 got timeout.*\), so vpc\d (public|private) being blocked \(.*\) proves nothing/,
    );
  });

  it('passes when the peering carries one direction: the block of the private pairs is a rule', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.stage === 'peering' && f.from === PUB1 && f.to === PUB2 ? 'timeout' : expectedNetwork(f),
    });
    const results = evaluate(evidence);
    expect(get(results, 'peering-public').status).toBe('failed');
    expect(get(results, 'peering-private-blocked').status).toBe('passed');
  });

  it('still fails a leak first: a private pair that gets through is the reason', async () => {
    const evidence = await buildEvidence({
      network: (f) =>
        f.stage === 'peering' && crossesVpcs(f)
          ? f.from === PRIV1 && isPublic(f.to)
            ? 'connected'
            : 'timeout'
          : expectedNetwork(f),
    });
    expect(get(evaluate(evidence), 'peering-private-blocked').message).toMatch(/ got through: /);
  });
});

describe('isolation-default', () => {
  it('fails when nothing routes, not even inside a VPC (no forwarding): its controls fail', async () => {
    // Without forwarding no packet leaves its subnet's /24.
    const evidence = await buildEvidence({ network: () => 'timeout' });
    const isolation = get(evaluate(evidence), 'isolation-default');
    expect(isolation.status).toBe('failed');
    expect(isolation.message).toMatch(/^positive control (ICMP|TCP) vpc\d/);
  });
});

describe('policy-denied is judged on the state after the policy', () => {
  const early = (port: number) => (f: Flow) =>
    f.stage === 'policy-before' && f.port === port ? 'timeout' : expectedNetwork(f);

  it('passes a tool that blocked tcp/22 before the policy, tried once, with an info finding', async () => {
    const evidence = await buildEvidence({
      // The tool's early DROP takes loopback too: the listener's own namespace cannot reach it either.
      network: (f) =>
        f.port === 22 && f.to === PUB1 && f.stage !== 'policy-before' && f.from === PUB1
          ? 'timeout'
          : early(22)(f),
    });
    expect(get(evaluate(evidence), 'policy-denied').status).toBe('passed');
    const probes = phaseOf(evidence, 'policy').probes;
    expect(probes.find((p) => p.id === 'policy-before:tcp:vpc1/privatesub->vpc1/publicsub:22')).toMatchObject(
      { outcome: 'timeout', tries: 1 },
    );
    const finding = findingsFrom(evidence).find((f) => f.id === 'blocked-before-step');
    expect(finding).toMatchObject({ severity: 'info', phase: 'policy' });
    expect(finding?.message).toMatch(
      /^vpc1 private -> vpc1 public:22 was already blocked before the policy \(stage policy-before: timeout on its one try\), as it is after it; the criterion is judged on the state after it, so this is no failure$/,
    );
  });

  it('says nothing of an early block when the host itself was unreachable from that source', async () => {
    const evidence = await buildEvidence({
      network: (f) => (f.stage.startsWith('policy') && f.from === PRIV1 ? 'timeout' : expectedNetwork(f)),
    });
    expect(get(evaluate(evidence), 'policy-denied').status).toBe('failed');
    const ids = findingsFrom(evidence).map((f) => f.id);
    expect(ids).not.toContain('blocked-before-step');
    expect(ids).toContain('observation-not-connected');
  });

  it('counts a REJECT after the policy when the listener answered inside its own namespace', async () => {
    const evidence = await buildEvidence({ network: early(22) });
    patchProbe(evidence, 'policy-after:tcp:vpc1/privatesub->vpc1/publicsub:22', { outcome: 'refused' });
    expect(get(evaluate(evidence), 'policy-denied').status).toBe('passed');
  });

  it('still needs tcp/80 from the same source after the policy', async () => {
    const evidence = await buildEvidence({ network: early(22) });
    patchProbe(evidence, 'policy-after:http:vpc1/privatesub->vpc1/publicsub:80', { outcome: 'timeout' });
    const denied = get(evaluate(evidence), 'policy-denied');
    expect(denied.status).toBe('failed');
    expect(denied.message).toMatch(/^positive control HTTP vpc1 private -> vpc1 public:80/);
  });

  it('fails a port that is open after the policy, whatever held before it', async () => {
    const evidence = await buildEvidence({ network: early(443) });
    patchProbe(evidence, 'policy-after:tcp:vpc1/privatesub->vpc1/publicsub:443', { outcome: 'connected' });
    expect(get(evaluate(evidence), 'policy-denied').message).toMatch(/:443 got through/);
  });
});

describe('path controls are data of the criterion file', () => {
  const nat = CRITERIA.find((c) => c.id === 'nat-private-blocked');

  it('puts them in the stage matrix even when no other criterion declares them, untagged', () => {
    if (!nat) throw new Error('no nat-private-blocked');
    const vpc1 = stageProbes([nat]).vpc1 ?? [];
    const path = vpc1.find((s) => s.id === 'vpc1:icmp:vpc1/publicsub->internet');
    expect(path).toMatchObject({ expected: 'allowed', control: false, criteria: [] });
    expect(vpc1.find((s) => s.id === 'vpc1:icmp:vpc1/privatesub->internet')?.path).toEqual({
      unproven: 'nothing in vpc1 reaches the internet host',
      controls: ['vpc1:icmp:vpc1/publicsub->internet', 'vpc1:http:vpc1/publicsub->internet:80'],
    });
  });

  function refusal(probes: unknown[]): CriterionDefinitionError {
    try {
      validateCriterion(
        {
          id: 'nat-private-blocked',
          title: 't',
          advisory: false,
          order: 5,
          needs: ['createVpc'],
          phases: ['vpc1', 'vpc2'],
          probes,
          assert() {},
        },
        'scenarios/nat-private-blocked.scenario.ts',
      );
    } catch (error) {
      return error as CriterionDefinitionError;
    }
    throw new Error('accepted');
  }

  it('refuses a path control in another stage, one expected blocked, or a path on a must-connect probe', () => {
    const elsewhere = probe('vpc2', 'icmp', PUB1, INTERNET, 'allowed');
    expect(
      refusal([
        probe('vpc1', 'icmp', PRIV1, INTERNET, 'blocked', { path: { unproven: 'x', controls: [elsewhere] } }),
      ]),
    ).toMatchObject({ code: 'CRITERION_BAD_PROBE', field: 'probes[0].path.controls[0]' });
    const blocked = probe('vpc1', 'icmp', PUB1, INTERNET, 'blocked');
    expect(
      refusal([
        probe('vpc1', 'icmp', PRIV1, INTERNET, 'blocked', { path: { unproven: 'x', controls: [blocked] } }),
      ]),
    ).toMatchObject({ field: 'probes[0].path.controls[0]' });
    const allowed = probe('vpc1', 'icmp', PUB1, INTERNET, 'allowed');
    expect(
      refusal([
        probe('vpc1', 'icmp', PRIV1, INTERNET, 'allowed', { path: { unproven: 'x', controls: [allowed] } }),
      ]).message,
    ).toMatch(/only a must-be-blocked probe has path controls/);
    expect(
      refusal([
        probe('vpc1', 'icmp', PRIV1, INTERNET, 'blocked', { path: { unproven: ' ', controls: [allowed] } }),
      ]),
    ).toMatchObject({ field: 'probes[0].path.unproven' });
  });

  it('refuses once on a positive control or a must-be-blocked probe', () => {
    expect(
      refusal([probe('vpc1', 'icmp', PRIV1, PUB1, 'allowed', { control: true, once: true })]),
    ).toMatchObject({
      field: 'probes[0].once',
    });
    expect(refusal([probe('vpc1', 'icmp', PRIV1, PUB1, 'blocked', { once: true })])).toMatchObject({
      field: 'probes[0].once',
    });
  });
});
