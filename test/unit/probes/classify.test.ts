import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/exec/types.js';
import type { ProbeKind, ProbeOutcome } from '../../../src/model/probe.js';
import {
  classify,
  classifyCurl,
  classifyPing,
  parseCurlOutput,
  seenSourceOf,
} from '../../../src/probes/classify.js';

// Real results, captured by fixtures/capture.sh in a throwaway sandbox.
interface Captured {
  kind: ProbeKind;
  expected: ProbeOutcome;
  note: string;
  result: CommandResult;
}
const captured = JSON.parse(
  readFileSync(new URL('./fixtures/outputs.json', import.meta.url), 'utf8'),
) as Captured[];

function result(over: Partial<CommandResult>): CommandResult {
  return {
    argv: ['ping'],
    command: 'ping',
    escapedCommand: 'ping',
    netns: 'ns1',
    exitCode: 0,
    signal: undefined,
    stdout: '',
    stderr: '',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10,
    timedOut: false,
    failed: false,
    spawnError: undefined,
    ...over,
  };
}

describe('classify (real ping and curl output)', () => {
  it('has captured every outcome for both tools', () => {
    for (const kind of ['icmp', 'tcp'] as const) {
      const outcomes = new Set(captured.filter((c) => c.kind === kind).map((c) => c.expected));
      expect([...outcomes].sort()).toEqual(
        kind === 'icmp'
          ? ['connected', 'error', 'timeout', 'unreachable']
          : ['connected', 'error', 'refused', 'timeout', 'unreachable'],
      );
    }
  });

  it.each(captured.map((c) => [`${c.kind} ${c.expected}${c.note ? ` (${c.note})` : ''}`, c] as const))(
    '%s',
    (_name, c) => {
      const classified = classify(c.kind, c.result);
      expect(classified.outcome).toBe(c.expected);
      expect(classified.detail).not.toBe('');
    },
  );

  it('reads the listener answer: HTTP status and the source it saw', () => {
    const ok = captured.find(
      (c) => c.kind === 'tcp' && c.expected === 'connected' && c.result.exitCode === 0,
    );
    expect(ok).toBeDefined();
    const classified = classifyCurl(ok?.result as CommandResult);
    expect(classified).toMatchObject({ httpStatus: 200, seenSource: '10.9.1.2', localAddress: '10.9.1.2' });
  });

  it('counts a connection that never got an HTTP answer as connected (the packet arrived)', () => {
    const hung = captured.find((c) => c.note === 'connects, never answers');
    const classified = classifyCurl(hung?.result as CommandResult);
    expect(classified.outcome).toBe('connected');
    expect(classified.httpStatus).toBeUndefined();
    expect(classified.detail).toMatch(/Operation timed out/);
  });

  it('names the ICMP error ping received', () => {
    const prohibited = captured.find((c) => c.kind === 'icmp' && /host-prohibited/.test(c.note));
    expect(classifyPing(prohibited?.result as CommandResult).detail).toMatch(/Destination Host Prohibited/);
  });
});

describe('classify (harness failures are errors, never "blocked")', () => {
  it('a probe the harness had to kill is an error, not a timeout', () => {
    const killed = result({ exitCode: undefined, signal: 'SIGKILL', timedOut: true, durationMs: 9000 });
    expect(classifyPing(killed).outcome).toBe('error');
    expect(classifyCurl(killed).outcome).toBe('error');
  });

  it('a tool that cannot start is an error', () => {
    const missing = result({ exitCode: undefined, spawnError: 'spawn ip ENOENT' });
    expect(classifyPing(missing)).toMatchObject({
      outcome: 'error',
      detail: expect.stringMatching(/ENOENT/),
    });
  });

  it('exit 127 from a shell is an error', () => {
    expect(classifyCurl(result({ exitCode: 127, stderr: 'sh: curl: not found\n' })).outcome).toBe('error');
  });

  it('ping exit 1 without statistics is an error, not a timeout', () => {
    expect(classifyPing(result({ exitCode: 1, stdout: '', stderr: 'something odd\n' })).outcome).toBe(
      'error',
    );
  });

  it('ping without a raw socket is an error', () => {
    const noCap = result({ exitCode: 2, stderr: 'ping: socket: Operation not permitted\n' });
    expect(classifyPing(noCap).outcome).toBe('error');
  });

  it('curl exit 7 without a reason is an error, not "unreachable"', () => {
    const vague = result({
      exitCode: 7,
      stdout: '\n__vpcprobe__ 000 0.000000  \n',
      stderr: "curl: (7) Failed to connect to 10.0.1.2 port 7070 after 0 ms: Couldn't connect to server\n",
    });
    expect(classifyCurl(vague).outcome).toBe('error');
  });

  it('newer curl that names the errno in its message is understood too', () => {
    const refused = result({
      exitCode: 7,
      stdout: '\n__vpcprobe__ 000 0.000000  \n',
      stderr: 'curl: (7) Failed to connect to 10.0.1.2 port 7070 after 0 ms: Connection refused\n',
    });
    expect(classifyCurl(refused).outcome).toBe('refused');
  });

  it('other curl failures are errors', () => {
    expect(
      classifyCurl(result({ exitCode: 3, stderr: 'curl: (3) URL rejected: Bad hostname\n' })).outcome,
    ).toBe('error');
  });
});

describe('parseCurlOutput / seenSourceOf', () => {
  it('splits the body from the write-out line even when the body has no final newline', () => {
    expect(parseCurlOutput('<html>hi</html>\n__vpcprobe__ 200 0.001 10.0.2.2 10.0.1.2\n')).toEqual({
      body: '<html>hi</html>',
      httpStatus: 200,
      connectSec: 0.001,
      localAddress: '10.0.2.2',
      remoteAddress: '10.0.1.2',
    });
  });
  it('reads status 000 as no status', () => {
    expect(parseCurlOutput('\n__vpcprobe__ 000 0.000000  \n')?.httpStatus).toBeUndefined();
  });
  it('returns undefined without the mark', () => {
    expect(parseCurlOutput('')).toBeUndefined();
  });
  it('takes the seen address only from a JSON answer', () => {
    expect(seenSourceOf('{"seen":"10.0.2.2","port":7070}\n')).toBe('10.0.2.2');
    expect(seenSourceOf('<!DOCTYPE html>')).toBeUndefined();
    expect(seenSourceOf('{"port":7070}')).toBeUndefined();
    expect(seenSourceOf('{broken')).toBeUndefined();
  });
});
