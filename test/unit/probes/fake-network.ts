import type { CommandResult } from '../../../src/exec/types.js';
import type { ProbeOutcome } from '../../../src/model/probe.js';
import type { Clock, ProbeExec } from '../../../src/probes/exec.js';

/**
 * A scripted network for runner tests: `behave(call)` says how a probe ends;
 * the fake produces the output ping or curl really prints for that outcome
 * (see fixtures/outputs.json). Time moves only when the runner sleeps.
 */
export interface FakeCall {
  tool: 'ping' | 'curl';
  netns: string | undefined;
  address: string;
  port: number | undefined;
  argv: readonly string[];
  at: number;
}

export function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

const MARK = '__vpcprobe__';

function pingOutput(outcome: ProbeOutcome, address: string): Partial<CommandResult> {
  switch (outcome) {
    case 'connected':
      return {
        exitCode: 0,
        stdout: `PING ${address} (${address}) 56(84) bytes of data.\n64 bytes from ${address}: icmp_seq=1 ttl=63 time=0.1 ms\n\n--- ${address} ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n`,
      };
    case 'timeout':
      return {
        exitCode: 1,
        stdout: `PING ${address} (${address}) 56(84) bytes of data.\n\n--- ${address} ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n`,
      };
    case 'unreachable':
      return {
        exitCode: 1,
        stdout: `PING ${address} (${address}) 56(84) bytes of data.\nFrom 10.0.2.1 icmp_seq=1 Destination Host Unreachable\n\n--- ${address} ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n`,
      };
    case 'refused':
      throw new Error('ping cannot be refused');
    case 'error':
      return { exitCode: 255, stderr: 'Cannot open network namespace "x": No such file or directory\n' };
  }
}

function curlOutput(
  outcome: ProbeOutcome,
  address: string,
  port: number,
  source: string | undefined,
  body?: string,
): Partial<CommandResult> {
  switch (outcome) {
    case 'connected':
      return {
        exitCode: 0,
        stdout: `${body ?? JSON.stringify({ seen: source ?? '', port })}\n\n${MARK} 200 0.000300 ${source ?? ''} ${address}\n`,
      };
    case 'timeout':
      return {
        exitCode: 28,
        stdout: `\n${MARK} 000 0.000000  \n`,
        stderr: `*   Trying ${address}:${port}...\ncurl: (28) Failed to connect to ${address} port ${port} after 2001 ms: Timeout was reached\n`,
      };
    case 'refused':
      return {
        exitCode: 7,
        stdout: `\n${MARK} 000 0.000000  \n`,
        stderr: `* connect to ${address} port ${port} failed: Connection refused\ncurl: (7) Failed to connect to ${address} port ${port} after 0 ms: Couldn't connect to server\n`,
      };
    case 'unreachable':
      return {
        exitCode: 7,
        stdout: `\n${MARK} 000 0.000000  \n`,
        stderr: `* connect to ${address} port ${port} failed: No route to host\ncurl: (7) Failed to connect to ${address} port ${port} after 3000 ms: Couldn't connect to server\n`,
      };
    case 'error':
      return { exitCode: 1, stderr: 'exec of "curl" failed: No such file or directory\n' };
  }
}

export interface Behaviour {
  outcome: ProbeOutcome;
  /** What the far end saw as the source (curl), default: the source namespace's own address. */
  seen?: string;
  body?: string;
}

export function fakeExec(
  clock: Clock,
  behave: (call: FakeCall) => ProbeOutcome | Behaviour,
  sourceOf: (netns: string | undefined) => string | undefined = () => undefined,
): { exec: ProbeExec; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const exec: ProbeExec = async (argv, options) => {
    const tool = argv[0] === 'ping' ? 'ping' : 'curl';
    const target = argv.at(-1) ?? '';
    const url = /^http:\/\/([\d.]+):(\d+)\//.exec(target);
    const address = url ? (url[1] ?? '') : target;
    const port = url ? Number(url[2]) : undefined;
    const call: FakeCall = { tool, netns: options.netns, address, port, argv, at: clock.now() };
    calls.push(call);
    const raw = behave(call);
    const b: Behaviour = typeof raw === 'string' ? { outcome: raw } : raw;
    const source = b.seen ?? sourceOf(options.netns);
    const out =
      tool === 'ping'
        ? pingOutput(b.outcome, address)
        : curlOutput(b.outcome, address, port ?? 0, source, b.body);
    const escaped = [...(options.netns ? ['ip', 'netns', 'exec', options.netns] : []), ...argv].join(' ');
    return {
      argv: [...argv],
      command: argv.join(' '),
      escapedCommand: escaped,
      netns: options.netns,
      exitCode: 0,
      signal: undefined,
      stdout: '',
      stderr: '',
      startedAt: new Date(clock.now()).toISOString(),
      durationMs: 1,
      timedOut: false,
      failed: (out.exitCode ?? 0) !== 0,
      spawnError: undefined,
      ...out,
    };
  };
  return { exec, calls };
}
