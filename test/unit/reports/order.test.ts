import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../src/model/probe.js';
import { comparePhases, formatDuration, probeTimeMs } from '../../../src/reports/order.js';

function timed(startedAt: string, durationMs: number): ProbeResult {
  return { startedAt, durationMs } as ProbeResult;
}

describe('report ordering and timing helpers', () => {
  it('counts overlapping probes once and leaves out the gaps between them', () => {
    const probes = [
      timed('2026-11-24T15:00:10.000Z', 1000),
      timed('2026-11-24T15:00:00.000Z', 2000),
      timed('2026-11-24T15:00:01.500Z', 1000),
      timed('2026-11-24T15:00:10.500Z', 100),
    ];
    expect(probeTimeMs(probes)).toBe(2500 + 1000);
    expect(probeTimeMs([])).toBeUndefined();
  });

  it('orders phases as the lab runs them, unknown ones last by name', () => {
    expect(['zeta', 'teardown', 'vpc2', 'alpha', 'bad-input', 'vpc1'].sort(comparePhases)).toEqual([
      'bad-input',
      'vpc1',
      'vpc2',
      'teardown',
      'alpha',
      'zeta',
    ]);
  });

  it('formats durations for people', () => {
    expect([formatDuration(850), formatDuration(42_140), formatDuration(185_000)]).toEqual([
      '850 ms',
      '42.1 s',
      '3 min 05 s',
    ]);
  });
});
