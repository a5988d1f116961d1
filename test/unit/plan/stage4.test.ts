import { describe, expect, it } from 'vitest';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import { inCidr } from '../../../src/discovery/ipv4.js';
import type { CriterionId } from '../../../src/model/criteria.js';
import type { ProbeSpec } from '../../../src/model/evidence.js';
import { allSubnets, placedProbes, placeProbe, stageById } from '../../../src/plan/lookup.js';
import {
  CRITERION_PHASES,
  CRITERION_STEPS,
  criteriaForStep,
  INTERNET,
  PRIV1,
  PRIV2,
  PUB1,
  PUB2,
  STAGE4_PLAN as plan,
} from '../../../src/plan/stage4.js';
import { LAB_STEPS } from '../../../src/plan/types.js';

const stage = (id: string) => {
  const found = stageById(plan, id)?.stage;
  if (!found) throw new Error(`no stage ${id}`);
  return found;
};
const find = (specs: ProbeSpec[], kind: string, from: string, to: string, port?: number) =>
  specs.find(
    (s) => s.kind === kind && s.from === from && s.to === to && (port === undefined || s.port === port),
  );

describe('Stage 4 plan: layout', () => {
  it('has the Stage 4 VPCs and subnets, each subnet inside its VPC', () => {
    expect(plan.vpcs.map((v) => [v.name, v.cidr])).toEqual([
      ['vpc1', '10.0.0.0/16'],
      ['vpc2', '10.1.0.0/16'],
    ]);
    expect(allSubnets(plan).map((s) => [s.key, s.cidr, s.type])).toEqual([
      [PUB1, '10.0.1.0/24', 'public'],
      [PRIV1, '10.0.2.0/24', 'private'],
      [PUB2, '10.1.1.0/24', 'public'],
      [PRIV2, '10.1.2.0/24', 'private'],
    ]);
    for (const vpc of plan.vpcs) {
      for (const s of vpc.subnets) expect(inCidr(s.cidr.split('/')[0] ?? '', vpc.cidr)).toBe(true);
    }
  });

  it('runs the phases in the Stage 4 order', () => {
    expect(plan.phases.map((p) => p.id)).toEqual([
      'bad-input',
      'vpc1',
      'vpc2',
      'peering',
      'policy',
      'inspect',
      'teardown',
    ]);
  });

  it('holds the seed policy, the uplink and the internet host', () => {
    expect(plan.policy).toEqual({
      vpc: 'vpc1',
      subnet: 'publicsub',
      cidr: '10.0.1.0/24',
      ingress: [
        { port: 80, protocol: 'tcp', action: 'allow' },
        { port: 22, protocol: 'tcp', action: 'deny' },
        { port: 443, protocol: 'tcp', action: 'deny' },
      ],
    });
    expect(plan.wan.address).toBe('203.0.113.10');
    expect(plan.internet.address).toBe('198.51.100.10');
  });

  it('uses only step names profiles know, and peers with one allow-cidr per direction', () => {
    const steps = plan.phases.flatMap((p) => p.stages.flatMap((s) => s.steps));
    for (const s of steps) expect(LAB_STEPS).toContain(s.step);
    const allow = stage('peering').steps.filter((s) => s.step === 'allowCidr');
    expect(allow.map((s) => [s.vars.src, s.vars.dst])).toEqual([
      ['10.0.1.0/24', '10.1.1.0/24'],
      ['10.1.1.0/24', '10.0.1.0/24'],
    ]);
  });

  it('gives every bad-input check a clean-up right after it, and a valid-input control', () => {
    const steps = stage('bad-input').steps;
    const checks = steps.filter((s) => s.check);
    expect(checks.length).toBeGreaterThanOrEqual(5);
    for (const check of checks) {
      expect(check.check).toMatchObject({ want: 'reject', criterion: 'rejects-bad-input' });
      // Each names the placeholders with the bad value: the runner skips what the profile cannot pass.
      expect(check.check?.badVars?.length).toBeGreaterThan(0);
      const next = steps[steps.indexOf(check) + 1];
      expect(next?.cleanup).toBe(true);
      expect(next?.step).toBe('teardownVpc');
    }
    expect(steps.some((s) => s.step === 'createVpc' && !s.check && !s.cleanup)).toBe(true);
  });
});

describe('Stage 4 plan: probes', () => {
  const all = placedProbes(plan);

  it('gives every probe a unique id that finds it again', () => {
    const ids = all.map((p) => p.spec.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const placed of all) expect(placeProbe(plan, placed.spec.id)).toEqual(placed);
  });

  it('pairs every negative probe with a positive control from the same source in the same stage', () => {
    for (const phase of plan.phases) {
      for (const st of phase.stages) {
        for (const neg of st.probes.filter((p) => p.expected === 'blocked')) {
          const controls = st.probes.filter((p) => p.control && p.from === neg.from);
          expect(controls.length, neg.id).toBeGreaterThan(0);
          for (const c of controls) expect(c.expected).toBe('allowed');
        }
      }
    }
  });

  it('only probes subnets the stage expects to exist', () => {
    for (const phase of plan.phases) {
      for (const st of phase.stages) {
        for (const p of st.probes) {
          expect(st.expectSubnets, p.id).toContain(p.from);
          if (p.to !== INTERNET) expect(st.expectSubnets, p.id).toContain(p.to);
        }
      }
    }
  });

  it('covers every criterion with probes, checks, discovery or snapshots, in the phases it names', () => {
    const byCriterion = new Map<CriterionId, Set<string>>();
    for (const { phase, spec } of all) {
      for (const c of spec.criteria) byCriterion.set(c, (byCriterion.get(c) ?? new Set()).add(phase));
    }
    for (const p of plan.phases) {
      for (const st of p.stages) {
        for (const step of st.steps) {
          const c = step.check?.criterion;
          if (c) byCriterion.set(c, (byCriterion.get(c) ?? new Set()).add(p.id));
        }
      }
    }
    for (const id of ALL_CRITERIA) {
      const phases = byCriterion.get(id);
      if (id === 'vpc-created' || id === 'teardown-clean') {
        expect(phases, id).toBeUndefined();
        continue;
      }
      expect(phases, id).toBeDefined();
      expect([...(phases ?? [])].sort(), id).toEqual([...CRITERION_PHASES[id]].sort());
    }
  });

  it('vpc1: intra-VPC both ways (ICMP, TCP), app on :80, NAT egress and private blocked', () => {
    const probes = stage('vpc1').probes;
    for (const [from, to] of [
      [PUB1, PRIV1],
      [PRIV1, PUB1],
    ] as const) {
      for (const kind of ['icmp', 'tcp']) {
        const p = find(probes, kind, from, to);
        expect(p, `${kind} ${from}->${to}`).toMatchObject({ expected: 'allowed', control: true });
        expect(p?.criteria).toContain('intra-vpc-routing');
      }
    }
    expect(find(probes, 'http', PRIV1, PUB1, 80)?.criteria).toEqual(['app-deployed']);
    expect(find(probes, 'icmp', PUB1, INTERNET)).toMatchObject({ expected: 'allowed' });
    expect(find(probes, 'http', PUB1, INTERNET, 80)?.criteria).toContain('nat-public-egress');
    expect(find(probes, 'icmp', PRIV1, INTERNET)).toMatchObject({ expected: 'blocked' });
    expect(find(probes, 'http', PRIV1, INTERNET, 80)?.criteria).toContain('nat-private-blocked');
    expect(find(probes, 'tcp', PRIV1, PUB1)?.criteria).toEqual(
      expect.arrayContaining(['nat-private-blocked', 'source-preserved']),
    );
  });

  it('vpc2: intra-VPC in vpc2, and every cross-VPC ordered pair blocked by ICMP and TCP', () => {
    const probes = stage('vpc2').probes;
    expect(find(probes, 'tcp', PRIV2, PUB2)?.criteria).toEqual(
      expect.arrayContaining(['intra-vpc-routing', 'source-preserved']),
    );
    const vpc1 = [PUB1, PRIV1];
    const vpc2 = [PUB2, PRIV2];
    let pairs = 0;
    for (const a of [...vpc1, ...vpc2]) {
      for (const b of [...vpc1, ...vpc2]) {
        if (vpc1.includes(a) === vpc1.includes(b)) continue;
        pairs++;
        for (const kind of ['icmp', 'tcp']) {
          expect(find(probes, kind, a, b), `${kind} ${a}->${b}`).toMatchObject({
            expected: 'blocked',
            criteria: ['isolation-default'],
          });
        }
      }
    }
    expect(pairs).toBe(8);
  });

  it('peering: public <-> public both ways, every cross pair with a private subnet blocked', () => {
    const probes = stage('peering').probes;
    for (const [a, b] of [
      [PUB1, PUB2],
      [PUB2, PUB1],
    ] as const) {
      expect(find(probes, 'icmp', a, b)?.criteria).toEqual(['peering-public']);
      expect(find(probes, 'tcp', a, b)?.criteria).toEqual(['peering-public', 'source-preserved']);
    }
    const blocked = probes.filter((p) => p.expected === 'blocked');
    expect(blocked).toHaveLength(12);
    for (const p of blocked) {
      expect([p.from, p.to].some((k) => k === PRIV1 || k === PRIV2)).toBe(true);
      expect(p.criteria).toEqual(['peering-private-blocked']);
    }
    // Every namespace re-learns its gateway (controls from all four sources).
    expect(new Set(probes.filter((p) => p.control).map((p) => p.from))).toEqual(
      new Set([PUB1, PRIV1, PUB2, PRIV2]),
    );
  });

  it('policy: 22/443 observed once before; after, :80 answers, the listeners answer inside their namespace, 22/443 blocked', () => {
    const before = stage('policy-before');
    expect(before.steps).toEqual([]);
    for (const port of [22, 443]) {
      expect(find(before.probes, 'tcp', PRIV1, PUB1, port)).toMatchObject({
        expected: 'allowed',
        control: false,
        once: true,
      });
      expect(find(stage('policy-after').probes, 'tcp', PUB1, PUB1, port)).toMatchObject({
        expected: 'allowed',
        once: true,
      });
    }
    const after = stage('policy-after');
    expect(after.steps.map((s) => s.step)).toEqual(['applyPolicy']);
    expect(find(after.probes, 'http', PRIV1, PUB1, 80)).toMatchObject({ expected: 'allowed', control: true });
    for (const port of [22, 443]) {
      expect(find(after.probes, 'tcp', PRIV1, PUB1, port)).toMatchObject({
        expected: 'blocked',
        criteria: ['policy-denied'],
      });
    }
    const pub1 = plan.listeners.find((l) => l.subnet === PUB1);
    expect(pub1?.ports).toEqual(expect.arrayContaining([plan.probePort, 22, 443]));
  });

  it('teardown: vpc2 must still route after vpc1 is gone', () => {
    const first = stage('teardown-vpc1');
    expect(first.steps.map((s) => [s.step, 'vpc' in s.vars ? s.vars.vpc : undefined])).toEqual([
      ['teardownSubnet', 'vpc1'],
      ['teardownSubnet', 'vpc1'],
      ['teardownVpc', 'vpc1'],
    ]);
    expect(first.probes.every((p) => p.criteria.includes('teardown-independent'))).toBe(true);
    expect(first.probes.map((p) => `${p.kind} ${p.from}->${p.to}`).sort()).toEqual(
      [
        `icmp ${PRIV2}->${PUB2}`,
        `icmp ${PUB2}->${PRIV2}`,
        `tcp ${PRIV2}->${PUB2}`,
        `tcp ${PUB2}->${PRIV2}`,
      ].sort(),
    );
  });

  it('serves every harness TCP probe from a planned listener', () => {
    for (const { spec } of all) {
      if (spec.kind !== 'tcp') continue;
      const listener = plan.listeners.find((l) => l.subnet === spec.to);
      expect(listener?.ports, spec.id).toContain(spec.port);
    }
  });
});

describe('criteriaForStep', () => {
  it('names the criteria that cannot run without a step', () => {
    expect(criteriaForStep('enableNat').sort()).toEqual(['nat-private-blocked', 'nat-public-egress']);
    expect(criteriaForStep('allowIntraVpc')).toEqual(['intra-vpc-routing']);
    expect(criteriaForStep('peerVpcs').sort()).toEqual(['peering-private-blocked', 'peering-public']);
    expect(criteriaForStep('applyPolicy').sort()).toEqual(['policy-allowed', 'policy-denied']);
    expect(criteriaForStep('inspect')).toEqual(['inspect-works']);
    expect(criteriaForStep('noSuchStep')).toEqual([]);
  });

  it('stops everything but the inspect check without createVpc', () => {
    expect(criteriaForStep('createVpc').sort()).toEqual(
      ALL_CRITERIA.filter((c) => c !== 'inspect-works').sort(),
    );
  });

  it('only names steps of the plan', () => {
    for (const steps of Object.values(CRITERION_STEPS)) for (const s of steps) expect(LAB_STEPS).toContain(s);
  });
});
