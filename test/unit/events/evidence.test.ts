import { describe, expect, it } from 'vitest';
import { evidenceFromEvents } from '../../../src/events/evidence.js';
import { parseEvents } from '../../../src/events/jsonl.js';
import type { LabEvent } from '../../../src/events/types.js';
import type { DiscoveredSubnet, PhaseId, ProbeSpec, Snapshot } from '../../../src/model/evidence.js';
import type { ProbeResult } from '../../../src/model/probe.js';
import type { StepResult } from '../../../src/model/summary.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';

let clock = Date.parse('2026-11-24T15:00:00.000Z');
function at(advanceMs = 10): string {
  clock += advanceMs;
  return new Date(clock).toISOString();
}

function specs(phase: PhaseId): ProbeSpec[] {
  return STAGE4_PLAN.phases.find((p) => p.id === phase)?.stages.flatMap((s) => s.probes) ?? [];
}

function probe(phase: PhaseId, spec: ProbeSpec, outcome: ProbeResult['outcome'] = 'connected'): LabEvent {
  const result: ProbeResult = {
    id: spec.id,
    phase,
    kind: spec.kind,
    from: { subnet: spec.from, netns: `ns-${spec.from}`, address: '10.0.1.2', label: spec.from },
    to: { subnet: spec.to, address: '10.0.2.2', label: spec.to },
    expected: spec.expected,
    control: spec.control,
    outcome,
    command: `ping ${spec.id}`,
    tries: 1,
    startedAt: at(0),
    durationMs: 5,
  };
  return { kind: 'probe', at: at(), phase, stage: phase, result };
}

function step(phase: PhaseId, name: string): LabEvent {
  const result: StepResult = { step: name, phase, status: 'ran', commands: [], durationMs: 3 };
  return { kind: 'step', at: at(), phase, stage: phase, title: name, result };
}

function subnet(key: string, netns: string | undefined): DiscoveredSubnet {
  const [vpc = '', name = ''] = key.split('/');
  return {
    key,
    vpc,
    name,
    cidr: '10.0.1.0/24',
    netns,
    address: netns ? '10.0.1.2' : undefined,
    gateway: netns ? '10.0.1.1' : undefined,
    gatewayAnswers: netns !== undefined,
    problem: netns ? undefined : 'no namespace',
  };
}

const EMPTY: Snapshot = {
  netns: [],
  links: [],
  addresses: [],
  routes: [],
  rules: [],
  policies: [],
  processes: [],
};

/** A run killed during phase vpc2: bad-input and vpc1 complete, vpc2 begun, its steps and two probes recorded. */
function killedRun(): LabEvent[] {
  const vpc1 = specs('vpc1');
  const vpc2 = specs('vpc2');
  return [
    { kind: 'run', at: at(), state: 'begin', plan: STAGE4_PLAN.name },
    { kind: 'phase', at: at(), phase: 'bad-input', state: 'begin' },
    {
      kind: 'check',
      at: at(),
      phase: 'bad-input',
      stage: 'bad-input',
      check: {
        title: 'bad cidr',
        command: 'x',
        exitCode: 2,
        stdout: '',
        stderr: 'no',
        leftBehind: [],
        want: 'reject',
      },
    },
    { kind: 'phase', at: at(), phase: 'bad-input', state: 'end', durationMs: 40, truthTables: [] },
    { kind: 'snapshot', at: at(), phase: 'teardown', which: 'before', snapshot: EMPTY },
    { kind: 'phase', at: at(), phase: 'vpc1', state: 'begin' },
    { kind: 'stage', at: at(), phase: 'vpc1', stage: 'vpc1', title: 'vpc1' },
    step('vpc1', 'createVpc'),
    { kind: 'discovery', at: at(), phase: 'vpc1', stage: 'vpc1', subnets: [subnet('vpc1/publicsub', 'a')] },
    {
      kind: 'discovery',
      at: at(),
      phase: 'vpc1',
      stage: 'vpc1',
      subnets: [subnet('vpc1/publicsub', 'ns-pub1'), subnet('vpc1/privatesub', 'ns-priv1')],
    },
    // Recorded as they finished: the last spec first.
    ...[...vpc1].reverse().map((s) => probe('vpc1', s)),
    {
      kind: 'phase',
      at: at(),
      phase: 'vpc1',
      state: 'end',
      truthTables: [],
      internetSources: ['203.0.113.10'],
      unnattedPackets: 2,
      settleMs: 120,
      probesMs: 900,
      durationMs: 1500,
    },
    {
      kind: 'finding',
      at: at(),
      finding: { id: 'settle-stall', severity: 'warning', message: 'slow', phase: 'vpc1' },
    },
    { kind: 'phase', at: at(), phase: 'vpc2', state: 'begin' },
    step('vpc2', 'createVpc'),
    probe('vpc2', vpc2[1] as ProbeSpec, 'timeout'),
    probe('vpc2', vpc2[0] as ProbeSpec),
  ];
}

describe('evidenceFromEvents', () => {
  it('folds finished phases with their aggregates, the interrupted one with what it recorded, the rest unreached', () => {
    const evidence = evidenceFromEvents(killedRun(), STAGE4_PLAN);
    expect(evidence.phases.map((p) => [p.phase, p.reached, p.interrupted ?? false])).toEqual([
      ['bad-input', true, false],
      ['vpc1', true, false],
      ['vpc2', true, true],
      ['peering', false, false],
      ['policy', false, false],
      ['inspect', false, false],
      ['teardown', false, false],
    ]);
    const [badInput, vpc1, vpc2] = evidence.phases;
    expect(badInput?.checks.map((c) => c.title)).toEqual(['bad cidr']);
    expect(badInput?.durationMs).toBe(40);
    expect(vpc1).toMatchObject({
      internetSources: ['203.0.113.10'],
      unnattedPackets: 2,
      settleMs: 120,
      probesMs: 900,
      durationMs: 1500,
      truthTables: [],
    });
    expect(vpc1?.steps.map((s) => s.step)).toEqual(['createVpc']);
    // The latest record of each subnet.
    expect(vpc1?.discovery.map((d) => [d.key, d.netns])).toEqual([
      ['vpc1/publicsub', 'ns-pub1'],
      ['vpc1/privatesub', 'ns-priv1'],
    ]);
    // In plan order, not in the order they finished.
    expect(vpc1?.probes.map((p) => p.id)).toEqual(specs('vpc1').map((s) => s.id));
    expect(vpc2?.probes.map((p) => p.id)).toEqual(
      specs('vpc2')
        .slice(0, 2)
        .map((s) => s.id),
    );
    expect(vpc2?.truthTables.length).toBeGreaterThan(0);
    expect(
      vpc2?.truthTables
        .flatMap((t) => t.cells)
        .map((c) => c.probeId)
        .sort(),
    ).toEqual(
      specs('vpc2')
        .slice(0, 2)
        .map((s) => s.id)
        .sort(),
    );
    expect(vpc2?.settleMs).toBeUndefined();
    expect(evidence.findings.map((f) => f.id)).toEqual(['settle-stall']);
    // No run end: nothing says the deadline was hit or the harness broke.
    expect(evidence).toMatchObject({ deadlineHit: false, harnessError: undefined, unsupportedSteps: [] });
  });

  it('takes unsupported steps, the deadline and a harness error from the run end, and pairs the snapshots in teardown', () => {
    const events: LabEvent[] = [
      ...killedRun(),
      { kind: 'phase', at: at(), phase: 'vpc2', state: 'end', durationMs: 10 },
      { kind: 'phase', at: at(), phase: 'peering', state: 'not-reached' },
      { kind: 'phase', at: at(), phase: 'teardown', state: 'begin' },
      {
        kind: 'snapshot',
        at: at(),
        phase: 'teardown',
        which: 'after',
        snapshot: { ...EMPTY, netns: ['left'] },
      },
      { kind: 'phase', at: at(), phase: 'teardown', state: 'end', durationMs: 10 },
      {
        kind: 'run',
        at: at(),
        state: 'end',
        unsupportedSteps: ['allowCidr'],
        deadlineHit: true,
        harnessError: 'boom',
      },
    ];
    const evidence = evidenceFromEvents(events, STAGE4_PLAN);
    expect(evidence).toMatchObject({
      unsupportedSteps: ['allowCidr'],
      deadlineHit: true,
      harnessError: 'boom',
    });
    const byId = (id: string) => evidence.phases.find((p) => p.phase === id);
    expect(byId('vpc2')?.interrupted).toBeUndefined();
    expect(byId('vpc2')?.truthTables.length).toBeGreaterThan(0);
    expect(byId('peering')?.reached).toBe(false);
    expect(byId('teardown')?.snapshotBefore).toEqual(EMPTY);
    expect(byId('teardown')?.snapshotAfter?.netns).toEqual(['left']);
  });

  it('folds a truncated events.jsonl: everything up to the cut line', () => {
    const lines = killedRun().map((e) => JSON.stringify(e));
    const text = `${lines.join('\n')}\n${lines[0]?.slice(0, 20)}`;
    const read = parseEvents(text);
    expect(read.truncated).toBe(true);
    const evidence = evidenceFromEvents(read.events, STAGE4_PLAN);
    expect(evidence.phases.find((p) => p.phase === 'vpc1')?.probes).toHaveLength(specs('vpc1').length);
    expect(evidence.phases.find((p) => p.phase === 'vpc2')?.interrupted).toBe(true);
  });

  it('an empty record is a run that reached nothing', () => {
    const evidence = evidenceFromEvents([], STAGE4_PLAN);
    expect(evidence.phases.every((p) => !p.reached && p.probes.length === 0)).toBe(true);
  });
});
