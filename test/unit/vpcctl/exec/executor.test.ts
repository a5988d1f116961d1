import { describe, expect, it } from 'vitest';
import { execute, group, renderPlan, renderStep } from '../../../../src/vpcctl/exec/executor.js';
import { emptyState } from '../../../../src/vpcctl/model.js';
import type { Plan, Step } from '../../../../src/vpcctl/plan/types.js';
import { FakeSystem } from '../fake-system.js';

const SCRIPT = '/opt/vpcctl/http-server.js';

function context(system: FakeSystem, extra: { dryRun?: boolean } = {}) {
  const printed: string[] = [];
  const logged: string[] = [];
  return {
    printed,
    logged,
    ctx: {
      system,
      dryRun: extra.dryRun ?? false,
      verbose: false,
      httpServerScript: SCRIPT,
      print: (t: string) => printed.push(t),
      trace: () => {},
      log: (t: string) => logged.push(t),
    },
  };
}

const plan = (steps: Step[], rollback: Step[] = [], bestEffort = false): Plan => ({
  state: emptyState(),
  steps,
  rollback,
  messages: [],
  bestEffort,
});

describe('group', () => {
  it('batches consecutive ip steps of one namespace, nothing else', () => {
    const units = group([
      { kind: 'ip', args: ['link', 'add', 'a', 'type', 'bridge'] },
      { kind: 'ip', args: ['link', 'set', 'a', 'up'] },
      { kind: 'ip', netns: 'n', args: ['link', 'set', 'lo', 'up'] },
      { kind: 'sysctl', key: 'k', value: '1' },
      { kind: 'ip', args: ['link', 'del', 'a'] },
    ]);
    expect(
      units.map((u) =>
        u.kind === 'ip-batch' ? `batch:${u.netns ?? 'root'}:${u.steps.length}` : u.step.kind,
      ),
    ).toEqual(['batch:root:2', 'batch:n:1', 'sysctl', 'batch:root:1']);
  });
});

describe('renderStep (what --dry-run prints)', () => {
  it('prints each step as a pasteable shell command', () => {
    const steps: Step[] = [
      { kind: 'ip', args: ['link', 'add', 'br-vpc1', 'type', 'bridge'] },
      { kind: 'ip', netns: 'vpc1-publicsub', args: ['route', 'add', 'default', 'via', '10.0.1.1'] },
      { kind: 'iptables-restore', netns: 'vpc1-publicsub', input: '*filter\n:X - [0:0]\nCOMMIT\n' },
      { kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' },
      { kind: 'nft-delete-table', family: 'ip', table: 'nat' },
      { kind: 'stop-process', pid: 42, match: [], what: 'HTTP server' },
    ];
    expect(renderPlan(steps, SCRIPT).split('\n')).toEqual([
      'ip link add br-vpc1 type bridge',
      'ip -n vpc1-publicsub route add default via 10.0.1.1',
      "ip netns exec vpc1-publicsub iptables-restore --noflush <<'EOF'",
      '*filter',
      ':X - [0:0]',
      'COMMIT',
      'EOF',
      'sysctl -w net.ipv4.ip_forward=1',
      'nft delete table ip nat  # only if still empty',
      'kill 42  # HTTP server',
    ]);
    expect(
      renderStep(
        {
          kind: 'start-http',
          vpc: 'v',
          subnet: 's',
          netns: 'v-s',
          address: '10.0.1.2',
          port: 80,
          log: '/var/lib/vpcctl/h.log',
        },
        SCRIPT,
      ),
    ).toBe(
      `ip netns exec v-s ${process.execPath} ${SCRIPT} 10.0.1.2 80 >>/var/lib/vpcctl/h.log 2>&1 &  # then wait until http://10.0.1.2:80/ answers`,
    );
  });
});

describe('execute', () => {
  it('runs one ip -batch per group, iptables-restore with its input', async () => {
    const system = new FakeSystem();
    const { ctx } = context(system);
    const report = await execute(
      plan([
        { kind: 'ip', args: ['netns', 'add', 'n'] },
        { kind: 'ip', args: ['link', 'add', 'br-x', 'type', 'bridge'] },
        { kind: 'iptables-restore', input: '*filter\n:C - [0:0]\nCOMMIT\n' },
      ]),
      ctx,
    );
    expect(report).toMatchObject({ ok: true, failures: [] });
    expect(system.commands).toEqual([
      'ip -batch - <<netns add n\nlink add br-x type bridge\n',
      'iptables-restore --noflush <<*filter\n:C - [0:0]\nCOMMIT\n',
    ]);
  });

  it('stops at a failed step, names the command that failed, and rolls back', async () => {
    const system = new FakeSystem();
    const { ctx, logged } = context(system);
    system.failOn = /link set br-x up/;
    const report = await execute(
      plan(
        [
          { kind: 'ip', args: ['link', 'add', 'br-x', 'type', 'bridge'] },
          { kind: 'ip', args: ['link', 'set', 'br-x', 'up'] },
          { kind: 'sysctl', key: 'k', value: '1' },
        ],
        [{ kind: 'ip', args: ['link', 'del', 'br-x'] }],
      ),
      ctx,
    );
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual(['ip link set br-x up: simulated failure']);
    expect(system.links.has('br-x')).toBe(false);
    expect(system.sysctls.k).toBeUndefined();
    expect(logged).toContain('  rolling back');
    expect(logged.some((l) => l.startsWith('  rollback:  ran') && l.includes('ip link del br-x'))).toBe(true);
  });

  it('best effort carries on past a failure (ip -force) and reports it', async () => {
    const system = new FakeSystem();
    system.links.add('a').add('b');
    const { ctx } = context(system);
    system.failOn = /link del a/;
    const report = await execute(
      plan(
        [
          { kind: 'ip', args: ['link', 'del', 'a'] },
          { kind: 'ip', args: ['link', 'del', 'b'] },
          { kind: 'sysctl', key: 'k', value: '0' },
        ],
        [],
        true,
      ),
      ctx,
    );
    expect(report.failures).toEqual(['ip link del a: simulated failure']);
    expect(system.links.has('b')).toBe(false);
    expect(system.sysctls.k).toBe('0');
    expect(system.commands[0]).toMatch(/^ip -force -batch -/);
  });

  it('deletes a table only when it is still empty at that moment', async () => {
    const system = new FakeSystem();
    const { ctx, logged } = context(system);
    await execute(plan([{ kind: 'iptables-restore', input: '*nat\n:X - [0:0]\nCOMMIT\n' }]), ctx);
    await execute(plan([{ kind: 'nft-delete-table', family: 'ip', table: 'nat' }]), ctx);
    expect(system.snapshot('').tables.has('nat')).toBe(true);
    expect(logged.some((l) => l.includes('skipped'))).toBe(true);
    await execute(plan([{ kind: 'iptables-restore', input: '*nat\n-X X\nCOMMIT\n' }]), ctx);
    await execute(plan([{ kind: 'nft-delete-table', family: 'ip', table: 'nat' }]), ctx);
    expect(system.snapshot('').tables.has('nat')).toBe(false);
  });

  it('--dry-run prints and runs nothing', async () => {
    const system = new FakeSystem();
    const { ctx, printed } = context(system, { dryRun: true });
    await execute(plan([{ kind: 'ip', args: ['link', 'add', 'br-x', 'type', 'bridge'] }]), ctx);
    expect(printed).toEqual(['ip link add br-x type bridge']);
    expect(system.commands).toEqual([]);
  });
});
