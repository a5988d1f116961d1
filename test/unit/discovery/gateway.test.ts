import { describe, expect, it } from 'vitest';
import { checkGateways } from '../../../src/discovery/gateway.js';
import type { CommandResult } from '../../../src/exec/types.js';
import type { DiscoveredSubnet } from '../../../src/model/evidence.js';
import type { ProbeExec } from '../../../src/probes/exec.js';

const subnet = (over: Partial<DiscoveredSubnet> = {}): DiscoveredSubnet => ({
  key: 'vpc1/publicsub',
  vpc: 'vpc1',
  name: 'publicsub',
  cidr: '10.0.1.0/24',
  netns: 'ns1',
  address: '10.0.1.2',
  gateway: '10.0.1.1',
  gatewayAnswers: false,
  problem: undefined,
  ...over,
});

const reply = (exitCode: number, stdout: string, stderr = ''): CommandResult => ({
  argv: [],
  command: '',
  escapedCommand: 'ip netns exec ns1 ping -n -c 1 -W 2 10.0.1.1',
  netns: 'ns1',
  exitCode,
  signal: undefined,
  stdout,
  stderr,
  startedAt: '',
  durationMs: 1,
  timedOut: false,
  failed: exitCode !== 0,
  spawnError: undefined,
});
const OK = reply(
  0,
  '64 bytes from 10.0.1.1: icmp_seq=1 ttl=64 time=0.1 ms\n1 packets transmitted, 1 received\n',
);
const LOST = reply(1, '1 packets transmitted, 0 received, 100% packet loss, time 0ms\n');

function scripted(...results: CommandResult[]): {
  exec: ProbeExec;
  calls: { argv: readonly string[]; netns?: string }[];
} {
  const calls: { argv: readonly string[]; netns?: string }[] = [];
  const exec: ProbeExec = async (argv, options) => {
    calls.push({ argv, ...(options.netns ? { netns: options.netns } : {}) });
    return results.shift() ?? LOST;
  };
  return { exec, calls };
}
const clock = { now: () => 0, sleep: async () => {} };

describe('checkGateways', () => {
  it('pings the gateway from the subnet namespace and retries while ARP settles', async () => {
    const { exec, calls } = scripted(LOST, OK);
    const [checked] = await checkGateways([subnet()], { exec, clock });
    expect(checked?.gatewayAnswers).toBe(true);
    expect(checked?.problem).toBeUndefined();
    expect(calls).toEqual([
      { argv: ['ping', '-n', '-c', '1', '-W', '2', '10.0.1.1'], netns: 'ns1' },
      { argv: ['ping', '-n', '-c', '1', '-W', '2', '10.0.1.1'], netns: 'ns1' },
    ]);
  });

  it('adds the failure to the problem with the command', async () => {
    const { exec, calls } = scripted(LOST, LOST, LOST);
    const [checked] = await checkGateways([subnet({ problem: 'earlier' })], { exec, clock });
    expect(checked?.gatewayAnswers).toBe(false);
    expect(calls).toHaveLength(3);
    expect(checked?.problem).toMatch(
      /^earlier; gateway 10.0.1.1 does not answer a ping from ns1: timeout: .*ping -n/,
    );
  });

  it('stops at a harness error', async () => {
    const { exec, calls } = scripted(
      reply(255, '', 'Cannot open network namespace "ns1": No such file or directory\n'),
    );
    const [checked] = await checkGateways([subnet()], { exec, clock });
    expect(calls).toHaveLength(1);
    expect(checked?.problem).toMatch(/error: the namespace is gone/);
  });

  it('does not ping when there is no namespace or gateway', async () => {
    const { exec, calls } = scripted();
    const out = await checkGateways([subnet({ netns: undefined }), subnet({ gateway: undefined })], {
      exec,
      clock,
    });
    expect(out.map((s) => s.gatewayAnswers)).toEqual([false, false]);
    expect(calls).toHaveLength(0);
  });
});
