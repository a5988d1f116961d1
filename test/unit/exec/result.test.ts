import { describe, expect, it } from 'vitest';
import { makeResult } from '../../../src/exec/result.js';

const startedAt = new Date('2026-11-24T15:00:00.000Z');

describe('makeResult', () => {
  it('quotes the command with its namespace and keeps argv as given', () => {
    const r = makeResult({
      argv: ['ping', '-c', '1', "it's"],
      netns: 'ns1',
      startedAt,
      durationMs: 5,
      exitCode: 0,
    });
    expect(r).toMatchObject({
      argv: ['ping', '-c', '1', "it's"],
      command: "ping -c 1 it's",
      escapedCommand: "ip netns exec ns1 ping -c 1 'it'\\''s'",
      netns: 'ns1',
      startedAt: '2026-11-24T15:00:00.000Z',
      durationMs: 5,
      failed: false,
      timedOut: false,
      stdout: '',
      stderr: '',
    });
  });

  it('fails a command that exited non-zero, was killed, timed out or could not start', () => {
    expect(makeResult({ argv: ['x'], startedAt, exitCode: 3 }).failed).toBe(true);
    expect(makeResult({ argv: ['x'], startedAt, exitCode: null, signal: 'SIGKILL' })).toMatchObject({
      failed: true,
      exitCode: undefined,
      signal: 'SIGKILL',
    });
    expect(makeResult({ argv: ['x'], startedAt, exitCode: 0, timedOut: true }).failed).toBe(true);
    const missing = makeResult({
      argv: ['x'],
      startedAt,
      exitCode: -2,
      spawnError: new Error('spawn x ENOENT'),
    });
    expect(missing).toMatchObject({ failed: true, exitCode: undefined, spawnError: 'spawn x ENOENT' });
  });

  it('measures the duration from the start when none is given', () => {
    const r = makeResult({ argv: ['x'], startedAt: new Date(Date.now() - 1000), exitCode: 0 });
    expect(r.durationMs).toBeGreaterThanOrEqual(1000);
  });
});
