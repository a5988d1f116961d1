import { describe, expect, it } from 'vitest';
import { EventStream } from '../../../src/events/stream.js';
import type { ProbeEvent, RecordEvent } from '../../../src/events/types.js';
import type { DiscoveredSubnet, ProbeSpec } from '../../../src/model/evidence.js';
import { probeId, STAGE4_PLAN } from '../../../src/plan/stage4.js';
import type { ProbeExec } from '../../../src/probes/exec.js';
import { endpointsFrom, runMatrix } from '../../../src/probes/runner.js';
import { fakeClock, fakeExec } from '../probes/fake-network.js';

const NS: Record<string, { netns: string; address: string }> = {
  'vpc1/publicsub': { netns: 'ns-pub1', address: '10.0.1.2' },
  'vpc1/privatesub': { netns: 'ns-priv1', address: '10.0.2.2' },
  'vpc2/publicsub': { netns: 'ns-pub2', address: '10.1.1.2' },
  'vpc2/privatesub': { netns: 'ns-priv2', address: '10.1.2.2' },
};
const discovered: DiscoveredSubnet[] = Object.entries(NS).map(([key, n]) => ({
  key,
  vpc: key.split('/')[0] ?? '',
  name: key.split('/')[1] ?? '',
  cidr: '',
  netns: n.netns,
  address: n.address,
  gateway: '10.0.0.1',
  gatewayAnswers: true,
  problem: undefined,
}));
const endpoints = endpointsFrom(discovered, STAGE4_PLAN);

function spec(from: string, to: string, expected: ProbeSpec['expected'], control = false): ProbeSpec {
  return { id: probeId('s', 'icmp', from, to), kind: 'icmp', from, to, expected, control, criteria: [] };
}

const PUB1 = 'vpc1/publicsub';
const PRIV1 = 'vpc1/privatesub';
const PUB2 = 'vpc2/publicsub';
const matrix = [
  spec(PUB1, PRIV1, 'allowed', true),
  spec(PRIV1, PUB1, 'allowed', true),
  spec(PUB1, PUB2, 'blocked'),
];

function recorder(): { events: EventStream; probes: () => ProbeEvent[] } {
  const events = new EventStream();
  const seen: RecordEvent[] = [];
  events.add((e) => seen.push(e));
  return { events, probes: () => seen.filter((e): e is ProbeEvent => e.kind === 'probe') };
}

describe('runMatrix probe events', () => {
  it('records each probe once, with its stage and its final result (negatives with controlsPassed)', async () => {
    const clock = fakeClock();
    const { exec } = fakeExec(clock, (call) => (call.address.startsWith('10.1.') ? 'timeout' : 'connected'));
    const { events, probes } = recorder();
    const result = await runMatrix(matrix, endpoints, { phase: 'vpc2', stage: 'vpc2', exec, clock, events });
    expect(
      probes()
        .map((e) => e.result.id)
        .sort(),
    ).toEqual(matrix.map((s) => s.id).sort());
    for (const event of probes()) {
      expect(event).toMatchObject({ phase: 'vpc2', stage: 'vpc2' });
      expect(event.result).toEqual(result.probes.find((p) => p.id === event.result.id));
    }
    expect(probes().find((e) => e.result.expected === 'blocked')?.result.controlsPassed).toBe(true);
  });

  it('records a probe the moment it is final, before the matrix ends (a kill later loses nothing judged)', async () => {
    const clock = fakeClock();
    const { exec: scripted } = fakeExec(clock, () => 'connected');
    // The second control never answers: the matrix is stuck there, as a harness is when it gets killed.
    const exec: ProbeExec = (argv, options) =>
      options.netns === 'ns-priv1' ? new Promise(() => {}) : scripted(argv, options);
    const { events, probes } = recorder();
    void runMatrix(matrix, endpoints, {
      phase: 'policy',
      stage: 'policy-after',
      exec,
      clock,
      events,
      concurrency: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probes().map((e) => [e.stage, e.result.id, e.result.outcome])).toEqual([
      ['policy-after', matrix[0]?.id, 'connected'],
    ]);
  });

  it('defaults the stage to the phase', async () => {
    const clock = fakeClock();
    const { exec } = fakeExec(clock, () => 'connected');
    const { events, probes } = recorder();
    await runMatrix([matrix[0] as ProbeSpec], endpoints, { phase: 'vpc1', exec, clock, events });
    expect(probes()[0]).toMatchObject({ phase: 'vpc1', stage: 'vpc1' });
  });
});
