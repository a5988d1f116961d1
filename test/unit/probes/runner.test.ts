import { describe, expect, it } from 'vitest';
import type { DiscoveredSubnet, ProbeSpec } from '../../../src/model/evidence.js';
import type { ProbeResult } from '../../../src/model/probe.js';
import { probeId, STAGE4_PLAN } from '../../../src/plan/stage4.js';
import {
  endpointsFrom,
  NEGATIVE_TIMEOUT,
  negativeTimeoutFrom,
  runMatrix,
  runProbe,
} from '../../../src/probes/runner.js';
import { fakeClock, fakeExec } from './fake-network.js';

const NS: Record<string, { netns: string; address: string }> = {
  'vpc1/publicsub': { netns: 'ns-pub1', address: '10.0.1.2' },
  'vpc1/privatesub': { netns: 'ns-priv1', address: '10.0.2.2' },
  'vpc2/publicsub': { netns: 'ns-pub2', address: '10.1.1.2' },
  'vpc2/privatesub': { netns: 'ns-priv2', address: '10.1.2.2' },
};
const addressOfNs = (netns: string | undefined) => Object.values(NS).find((n) => n.netns === netns)?.address;

function discovered(missing: string[] = []): DiscoveredSubnet[] {
  return Object.entries(NS).map(([key, n]) => {
    const [vpc = '', name = ''] = key.split('/');
    const found = !missing.includes(key);
    return {
      key,
      vpc,
      name,
      cidr: '',
      netns: found ? n.netns : undefined,
      address: found ? n.address : undefined,
      gateway: found ? '10.0.0.1' : undefined,
      gatewayAnswers: found,
      problem: found ? undefined : 'not found',
    };
  });
}
const endpoints = endpointsFrom(discovered(), STAGE4_PLAN);

function spec(
  kind: ProbeSpec['kind'],
  from: string,
  to: string,
  expected: ProbeSpec['expected'],
  control = false,
  port?: number,
): ProbeSpec {
  const p = kind === 'icmp' ? undefined : (port ?? 7070);
  return {
    id: probeId('t', kind, from, to, p),
    kind,
    from,
    to,
    ...(p ? { port: p } : {}),
    expected,
    control,
    criteria: [],
  };
}
const PUB1 = 'vpc1/publicsub';
const PRIV1 = 'vpc1/privatesub';
const PUB2 = 'vpc2/publicsub';

describe('endpointsFrom', () => {
  it('maps discovered subnets and the internet; an undiscovered subnet has no address', () => {
    const map = endpointsFrom(discovered([PUB2]), STAGE4_PLAN);
    expect(map.get(PUB1)).toEqual({
      subnet: PUB1,
      netns: 'ns-pub1',
      address: '10.0.1.2',
      label: 'vpc1 public',
    });
    expect(map.get(PUB2)).toEqual({ subnet: PUB2, address: '', label: 'vpc2 public' });
    expect(map.get('internet')).toEqual({ address: '198.51.100.10', label: 'internet' });
  });
});

describe('runProbe', () => {
  it('runs inside the source namespace and records a pasteable command', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(clock, () => 'connected');
    const result = await runProbe(spec('icmp', PRIV1, PUB1, 'allowed'), endpoints, {
      phase: 'vpc1',
      exec,
      clock,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ tool: 'ping', netns: 'ns-priv1', address: '10.0.1.2' });
    expect(result).toMatchObject({
      phase: 'vpc1',
      outcome: 'connected',
      tries: 1,
      command: 'ip netns exec ns-priv1 ping -n -c 1 -W 2 10.0.1.2',
      from: { subnet: PRIV1, netns: 'ns-priv1', address: '10.0.2.2' },
      to: { subnet: PUB1, address: '10.0.1.2', label: 'vpc1 public' },
    });
    expect(result.to.netns).toBeUndefined();
  });

  it('retries a "must connect" probe until it connects, and counts the tries', async () => {
    const clock = fakeClock();
    const { exec } = fakeExec(clock, (call) => (call.at >= 1500 ? 'connected' : 'timeout'));
    const result = await runProbe(spec('tcp', PRIV1, PUB1, 'allowed'), endpoints, {
      phase: 'p',
      exec,
      clock,
    });
    expect(result.outcome).toBe('connected');
    expect(result.tries).toBe(4);
    expect(result.durationMs).toBe(1500);
  });

  it('gives up at the deadline with the last outcome', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(clock, () => 'unreachable');
    const result = await runProbe(spec('icmp', PRIV1, PUB1, 'allowed'), endpoints, {
      phase: 'p',
      exec,
      clock,
      positiveDeadlineMs: 3000,
    });
    expect(result.outcome).toBe('unreachable');
    expect(calls.length).toBe(result.tries);
    expect(result.tries).toBe(6);
    expect(result.durationMs).toBeLessThanOrEqual(3000);
  });

  it('tries an observation (once) a single time, and marks its result so', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(clock, (call) => (call.at >= 1500 ? 'connected' : 'timeout'));
    const result = await runProbe({ ...spec('tcp', PRIV1, PUB1, 'allowed'), once: true }, endpoints, {
      phase: 'p',
      exec,
      clock,
    });
    expect(result).toMatchObject({ outcome: 'timeout', tries: 1, once: true });
    expect(calls.length).toBe(1);
  });

  it('does not retry a probe that broke', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(clock, () => 'error');
    const result = await runProbe(spec('icmp', PRIV1, PUB1, 'allowed'), endpoints, {
      phase: 'p',
      exec,
      clock,
    });
    expect(result.outcome).toBe('error');
    expect(calls).toHaveLength(1);
  });

  it('runs a "must be blocked" probe once, with the short timeout', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(clock, () => 'timeout');
    const result = await runProbe(spec('tcp', PRIV1, PUB2, 'blocked'), endpoints, {
      phase: 'p',
      exec,
      clock,
      negativeTimeoutSec: 3,
      tryTimeoutSec: 1,
    });
    expect(result).toMatchObject({ outcome: 'timeout', tries: 1 });
    expect(calls[0]?.argv).toEqual(expect.arrayContaining(['--connect-timeout', '3', '--max-time', '5']));
  });

  it('records the HTTP status and the source the listener saw', async () => {
    const clock = fakeClock();
    const { exec } = fakeExec(clock, () => ({ outcome: 'connected', seen: '203.0.113.10' }));
    const result = await runProbe(spec('tcp', PUB1, PRIV1, 'allowed'), endpoints, {
      phase: 'p',
      exec,
      clock,
    });
    expect(result).toMatchObject({ httpStatus: 200, seenSource: '203.0.113.10' });
  });

  it('does not run a probe whose source or destination was not discovered, and says why', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(clock, () => 'connected');
    const partial = endpointsFrom(discovered([PRIV1, PUB2]), STAGE4_PLAN);
    const fromMissing = await runProbe(spec('icmp', PRIV1, PUB1, 'blocked'), partial, {
      phase: 'p',
      exec,
      clock,
    });
    const toMissing = await runProbe(spec('icmp', PUB1, PUB2, 'allowed'), partial, {
      phase: 'p',
      exec,
      clock,
    });
    expect(calls).toHaveLength(0);
    expect(fromMissing).toMatchObject({ outcome: 'error', tries: 0, command: '' });
    expect(fromMissing.detail).toBe(`not run: source ${PRIV1} was not discovered`);
    expect(toMissing.detail).toBe(`not run: destination ${PUB2} was not discovered`);
  });
});

describe('runMatrix', () => {
  const matrix = [
    spec('icmp', PRIV1, PUB2, 'blocked'),
    spec('icmp', PRIV1, PUB1, 'allowed', true),
    spec('tcp', PRIV1, PUB1, 'allowed', true),
    spec('tcp', PUB1, PUB2, 'blocked'),
    spec('icmp', PUB1, PRIV1, 'allowed', true),
    spec('icmp', PUB1, 'internet', 'allowed'),
  ];

  it('runs every negative probe only after every positive probe finished', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(
      clock,
      (call) => (call.address.startsWith('10.1.') ? 'timeout' : 'connected'),
      addressOfNs,
    );
    const result = await runMatrix(matrix, endpoints, { phase: 'p', exec, clock, concurrency: 3 });
    const kinds = calls.map((c) => (c.address.startsWith('10.1.') ? 'negative' : 'positive'));
    expect(kinds).toEqual(['positive', 'positive', 'positive', 'positive', 'negative', 'negative']);
    expect(result.probes.map((p) => p.id)).toEqual(matrix.map((s) => s.id));
    expect(
      result.probes.filter((p) => p.expected === 'blocked').every((p) => p.controlsPassed === true),
    ).toBe(true);
    expect(result.controlsPassed).toEqual({ [PRIV1]: true, [PUB1]: true });
    expect(result.settleMs).toBe(0);
  });

  it('measures the settle time: when the last positive control passed', async () => {
    const clock = fakeClock();
    // Traffic stalls for 3 s after the steps (a bridge changed its MAC).
    const { exec } = fakeExec(clock, (call) =>
      call.address.startsWith('10.1.') ? 'timeout' : call.at >= 3000 ? 'connected' : 'timeout',
    );
    const result = await runMatrix(matrix, endpoints, { phase: 'p', exec, clock, concurrency: 1 });
    expect(result.settleMs).toBeGreaterThanOrEqual(3000);
    expect(result.probes.every((p) => p.expected === 'blocked' || p.outcome === 'connected')).toBe(true);
  });

  it('marks negative probes from a source whose controls failed as not counted, but still runs them', async () => {
    const clock = fakeClock();
    // vpc1 private is broken: nothing from it works.
    const { exec, calls } = fakeExec(clock, (call) =>
      call.netns === 'ns-priv1' || call.address.startsWith('10.1.') ? 'timeout' : 'connected',
    );
    const result = await runMatrix(matrix, endpoints, {
      phase: 'p',
      exec,
      clock,
      positiveDeadlineMs: 1000,
      concurrency: 1,
    });
    expect(result.controlsPassed).toEqual({ [PRIV1]: false, [PUB1]: true });
    expect(result.settleMs).toBeUndefined();
    const byFrom = (from: string) =>
      result.probes.find((p) => p.expected === 'blocked' && p.from.subnet === from);
    expect(byFrom(PRIV1)).toMatchObject({ outcome: 'timeout', controlsPassed: false });
    expect(byFrom(PUB1)).toMatchObject({ outcome: 'timeout', controlsPassed: true });
    expect(calls.filter((c) => c.address.startsWith('10.1.'))).toHaveLength(2);
  });

  it('a source without any control never counts as controlled', async () => {
    const clock = fakeClock();
    const { exec } = fakeExec(clock, () => 'timeout');
    const result = await runMatrix([spec('icmp', PUB2, PUB1, 'blocked')], endpoints, {
      phase: 'p',
      exec,
      clock,
    });
    expect(result.probes[0]?.controlsPassed).toBe(false);
    expect(result.settleMs).toBe(0);
  });
});

describe('negative-probe timeout from measured round trips', () => {
  const connected = (durationMs: number, tries = 1) =>
    ({ outcome: 'connected', tries, durationMs }) as ProbeResult;

  it('is a multiple of the slowest first-try success, within the floor and the cap', () => {
    expect(negativeTimeoutFrom([connected(20), connected(30)])).toBe(NEGATIVE_TIMEOUT.floorSec);
    expect(negativeTimeoutFrom([connected(20), connected(300)])).toBe(1.2);
    expect(negativeTimeoutFrom([connected(5_000)])).toBe(NEGATIVE_TIMEOUT.capSec);
  });

  it('ignores retried and failed probes, and falls back to the cap with nothing measured', () => {
    expect(negativeTimeoutFrom([connected(20), connected(4_000, 3)])).toBe(NEGATIVE_TIMEOUT.floorSec);
    expect(negativeTimeoutFrom([{ outcome: 'timeout', tries: 1, durationMs: 10 } as ProbeResult])).toBe(
      NEGATIVE_TIMEOUT.capSec,
    );
    expect(negativeTimeoutFrom([])).toBe(NEGATIVE_TIMEOUT.capSec);
  });

  it('is what runMatrix gives its negative probes (ping -W with a fraction)', async () => {
    const clock = fakeClock();
    const { exec, calls } = fakeExec(
      clock,
      (call) => (call.address.startsWith('10.1.') ? 'timeout' : 'connected'),
      addressOfNs,
    );
    await runMatrix(
      [spec('icmp', PUB1, PRIV1, 'allowed', true), spec('icmp', PUB1, PUB2, 'blocked')],
      endpoints,
      { phase: 'p', exec, clock },
    );
    const negative = calls.find((c) => c.address.startsWith('10.1.'));
    expect(negative?.argv).toEqual(expect.arrayContaining(['-W', String(NEGATIVE_TIMEOUT.floorSec)]));
  });
});
