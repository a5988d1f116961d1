import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../../src/vpcctl/cli.js';
import type { State } from '../../../src/vpcctl/model.js';
import { StateStore } from '../../../src/vpcctl/state/store.js';
import { FakeSystem } from './fake-system.js';

/** The whole CLI against an in-memory machine (fake-system.ts): no root, nothing real is touched. */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lab() {
  const system = new FakeSystem();
  const dir = mkdtempSync(join(tmpdir(), 'vpcctl-unit-'));
  dirs.push(dir);
  const vpcctl = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, {
      system,
      env: { VPCCTL_STATE_DIR: dir, VPCCTL_LOCK_TIMEOUT_MS: '200' },
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      now: () => '2026-01-01T00:00:00.000Z',
      planOptions: { httpServerScript: '/opt/vpcctl/http-server.js' },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const state = (): State => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as State;
  const stateText = (): string | undefined =>
    existsSync(join(dir, 'state.json')) ? readFileSync(join(dir, 'state.json'), 'utf8') : undefined;
  return { system, dir, vpcctl, state, stateText };
}

const SEED_VPC1 = [
  ['create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16'],
  ['add-subnet', '--vpc', 'vpc1', '--name', 'publicsub', '--cidr', '10.0.1.0/24'],
  ['add-subnet', '--vpc', 'vpc1', '--name', 'privatesub', '--cidr', '10.0.2.0/24'],
  ['allow-intra-vpc', 'vpc1'],
  ['enable-nat', '--vpc', 'vpc1', '--subnet', 'publicsub', '--wan', 'eth0'],
  ['deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub', '--port', '80'],
];
const SEED_VPC2 = [
  ['create-vpc', '--name', 'vpc2', '--cidr', '10.1.0.0/16'],
  ['add-subnet', '--vpc', 'vpc2', '--name', 'publicsub', '--cidr', '10.1.1.0/24'],
  ['add-subnet', '--vpc', 'vpc2', '--name', 'privatesub', '--cidr', '10.1.2.0/24'],
  ['allow-intra-vpc', 'vpc2'],
  ['isolate-vpcs', '--cidr-a', '10.0.0.0/16', '--cidr-b', '10.1.0.0/16'],
  ['peer-vpcs', '--bridge-a', 'br-vpc1', '--bridge-b', 'br-vpc2'],
  ['allow-cidr', '--src', '10.0.1.0/24', '--dst', '10.1.1.0/24'],
  ['allow-cidr', '--src', '10.1.1.0/24', '--dst', '10.0.1.0/24'],
];

async function seed(l: ReturnType<typeof lab>, steps = [...SEED_VPC1, ...SEED_VPC2]): Promise<void> {
  for (const argv of steps) {
    const result = await l.vpcctl(...argv);
    expect(result, argv.join(' ')).toMatchObject({ code: 0, err: '' });
  }
}

function forwardRules(system: FakeSystem): string[] {
  return system.snapshot('').tables.get('filter')?.rules ?? [];
}

describe('the seed flow', () => {
  it('builds the topology and the rules, and teardown restores the machine exactly', async () => {
    const l = lab();
    const pristine = l.system.dump();
    await seed(l);
    const s = l.state();
    expect(
      s.vpcs.map((v) => [v.name, v.bridge, v.subnets.map((x) => `${x.netns} ${x.host} ${x.hostIf}`)]),
    ).toEqual([
      ['vpc1', 'br-vpc1', ['vpc1-publicsub 10.0.1.2 v1s1', 'vpc1-privatesub 10.0.2.2 v1s2']],
      ['vpc2', 'br-vpc2', ['vpc2-publicsub 10.1.1.2 v2s1', 'vpc2-privatesub 10.1.2.2 v2s2']],
    ]);
    expect(s.peerings).toMatchObject([{ vpcA: 'vpc1', vpcB: 'vpc2', linkA: 'p1-2', linkB: 'p2-1' }]);
    expect(s.baseline?.sysctls).toEqual({ 'net.ipv4.ip_forward': '0' });
    expect(l.system.sysctls['net.ipv4.ip_forward']).toBe('1');
    expect([...l.system.netns].sort()).toEqual([
      'vpc1-privatesub',
      'vpc1-publicsub',
      'vpc2-privatesub',
      'vpc2-publicsub',
    ]);
    expect(
      l.system.addresses.filter((a) => a.ifname.startsWith('br-')).map((a) => `${a.ifname} ${a.address}`),
    ).toEqual(['br-vpc1 10.0.1.1', 'br-vpc1 10.0.2.1', 'br-vpc2 10.1.1.1', 'br-vpc2 10.1.2.1']);
    const nat = l.system.snapshot('').tables.get('nat')?.rules ?? [];
    expect(nat).toEqual([
      '-A POSTROUTING -m comment --comment vpcctl -j VPCCTL-POSTROUTING',
      '-A VPCCTL-POSTROUTING -s 10.0.1.0/24 -o eth0 -m comment --comment "vpcctl:vpc1/publicsub:masquerade" -j MASQUERADE',
    ]);
    expect(forwardRules(l.system)[0]).toBe('-A FORWARD -m comment --comment vpcctl -j VPCCTL-FORWARD');
    expect(s.vpcs[0]?.subnets[0]?.servers).toEqual([
      {
        port: 80,
        address: '10.0.1.2',
        pid: 4000,
        log: `${l.dir}/http-vpc1-publicsub-80.log`,
        startedAt: '2026-01-01T00:00:00.000Z',
      },
    ]);

    expect(await l.vpcctl('teardown-vpc', '--name', 'vpc2')).toMatchObject({ code: 0 });
    expect(l.state().peerings).toEqual([]);
    expect(l.system.links.has('p1-2')).toBe(false);
    expect(await l.vpcctl('teardown-vpc', '--name', 'vpc1')).toMatchObject({ code: 0 });
    expect(l.system.processes.size).toBe(0);
    expect(l.system.dump()).toBe(pristine);
    expect(l.state()).toEqual({ version: 1, vpcs: [], peerings: [], isolations: [], allows: [] });
  });

  it('is idempotent: the same create commands again run nothing', async () => {
    const l = lab();
    await seed(l);
    const before = l.system.dump();
    const state = l.stateText();
    for (const argv of [...SEED_VPC1, ...SEED_VPC2]) {
      l.system.commands = [];
      const result = await l.vpcctl(...argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(l.system.commands, argv.join(' ')).toEqual([]);
    }
    expect(l.system.dump()).toBe(before);
    expect(l.stateText()).toBe(state);
  });

  it('a missing VPC is not an error for teardown', async () => {
    const l = lab();
    expect(await l.vpcctl('teardown-vpc', '--name', 'vpc9')).toMatchObject({
      code: 0,
      out: 'VPC vpc9 does not exist; nothing to do',
    });
    expect(await l.vpcctl('teardown-vpc', 'vpc9')).toMatchObject({ code: 0 });
    expect(await l.vpcctl('teardown-all')).toMatchObject({ code: 0, out: 'no VPC exists; nothing to do' });
  });

  it('teardown-all removes every VPC', async () => {
    const l = lab();
    const pristine = l.system.dump();
    await seed(l);
    expect(await l.vpcctl('teardown-all')).toMatchObject({ code: 0 });
    expect(l.system.dump()).toBe(pristine);
  });

  it('delete-subnet removes the subnet, its server and its NAT, and is idempotent', async () => {
    const l = lab();
    await seed(l, SEED_VPC1);
    expect(await l.vpcctl('delete-subnet', '--vpc', 'vpc1', '--name', 'publicsub')).toMatchObject({
      code: 0,
    });
    expect(l.system.netns.has('vpc1-publicsub')).toBe(false);
    expect(l.system.links.has('v1s1')).toBe(false);
    expect(l.system.addresses.some((a) => a.address === '10.0.1.1')).toBe(false);
    expect(l.system.processes.size).toBe(0);
    expect(l.system.snapshot('').tables.get('nat')?.rules ?? []).toEqual([]);
    expect(await l.vpcctl('delete-subnet', '--vpc', 'vpc1', '--name', 'publicsub')).toMatchObject({
      code: 0,
    });
  });

  it('unpeer-vpcs removes the link and the allow-cidr rules between the two', async () => {
    const l = lab();
    await seed(l);
    expect(await l.vpcctl('unpeer-vpcs', '--vpc-a', 'vpc2', '--vpc-b', 'vpc1')).toMatchObject({
      code: 0,
      out: 'unpeered vpc2 and vpc1 (2 allow-cidr rule(s) removed)',
    });
    expect(l.system.links.has('p1-2')).toBe(false);
    expect(forwardRules(l.system).filter((r) => r.includes('peering'))).toEqual([]);
    expect(await l.vpcctl('unpeer-vpcs', '--bridge-a', 'br-vpc1', '--bridge-b', 'br-vpc2')).toMatchObject({
      code: 0,
    });
  });
});

describe('deploy-http', () => {
  it('records the pid, does not start a second server, and teardown stops it', async () => {
    const l = lab();
    await seed(l, SEED_VPC1);
    const pid = l.state().vpcs[0]?.subnets[0]?.servers[0]?.pid;
    expect(l.system.processRunning(pid ?? 0, ['http-server.js', '10.0.1.2', '80'])).toBe(true);
    l.system.commands = [];
    expect(
      await l.vpcctl('deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub', '--port', '80'),
    ).toMatchObject({
      code: 0,
      out: `HTTP server of vpc1/publicsub already answers on 10.0.1.2:80 (pid ${pid})`,
    });
    expect(l.system.commands.some((c) => c.startsWith('start-http'))).toBe(false);
    l.system.processes.clear();
    expect(await l.vpcctl('deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub')).toMatchObject({
      code: 0,
    });
    expect(l.state().vpcs[0]?.subnets[0]?.servers.map((s) => s.pid)).toEqual([4001]);
    await l.vpcctl('teardown-vpc', 'vpc1');
    expect(l.system.commands).toContain('kill 4001');
    expect(l.system.processes.size).toBe(0);
  });

  it('a server that never answers fails the command and is not recorded', async () => {
    const l = lab();
    await seed(l, SEED_VPC1.slice(0, 5));
    l.system.failOn = /start-http/;
    const result = await l.vpcctl('deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/the server exited before answering/);
    expect(l.state().vpcs[0]?.subnets[0]?.servers).toEqual([]);
  });
});

describe('apply-policy', () => {
  const seedPolicy = JSON.stringify({
    subnet: '10.0.1.0/24',
    ingress: [
      { port: 80, protocol: 'tcp', action: 'allow' },
      { port: 22, protocol: 'tcp', action: 'deny' },
      { port: 443, protocol: 'tcp', action: 'deny' },
    ],
  });

  it("writes the rules in the subnet's namespace and replaces them on a second apply", async () => {
    const l = lab();
    await seed(l, SEED_VPC1);
    l.system.files.set('p.json', seedPolicy);
    expect(
      await l.vpcctl('apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', 'p.json'),
    ).toMatchObject({
      code: 0,
      out: expect.stringMatching(/ingress: tcp\/80 allow, tcp\/22 deny, tcp\/443 deny, default allow/),
    });
    const rules = () => l.system.snapshot('vpc1-publicsub').tables.get('filter')?.rules ?? [];
    expect(rules()).toContain(
      '-A VPCCTL-INGRESS -p tcp -m tcp --dport 22 -m comment --comment "vpcctl:policy:ingress:2" -j DROP',
    );
    expect(rules().filter((r) => r.startsWith('-A INPUT'))).toEqual([
      '-A INPUT -m comment --comment vpcctl -j VPCCTL-INGRESS',
    ]);
    const first = rules();
    await l.vpcctl('apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', 'p.json');
    expect(rules()).toEqual(first);
    l.system.files.set(
      'q.json',
      JSON.stringify({ subnet: '10.0.1.0/24', ingress: [{ protocol: 'icmp', action: 'deny' }] }),
    );
    await l.vpcctl('apply-policy', '--file', 'q.json');
    expect(rules().filter((r) => r.includes('--dport'))).toEqual([]);
    expect(rules()).toContain(
      '-A VPCCTL-INGRESS -p icmp -m comment --comment "vpcctl:policy:ingress:1" -j DROP',
    );
    expect(l.state().vpcs[0]?.subnets[0]?.policy?.file).toBe('q.json');
  });
});

describe('inspect', () => {
  it('shows the lab and reports drift between the state and the machine', async () => {
    const l = lab();
    await seed(l);
    l.system.files.set(
      'p.json',
      JSON.stringify({ subnet: '10.0.1.0/24', ingress: [{ port: 22, protocol: 'tcp', action: 'deny' }] }),
    );
    await l.vpcctl('apply-policy', '--file', 'p.json');
    const before = l.system.dump();
    const text = await l.vpcctl('inspect');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /^VPC vpc1 {2}10\.0\.0\.0\/16 {2}bridge br-vpc1 \(02:76:70:63:00:01\) {2}intra-VPC traffic: allowed$/m,
    );
    expect(text.out).toMatch(/gateways on br-vpc1: 10\.0\.1\.1\/24, 10\.0\.2\.1\/24/);
    expect(text.out).toMatch(
      /subnet publicsub {2}10\.0\.1\.0\/24 {2}namespace vpc1-publicsub {2}host 10\.0\.1\.2/,
    );
    expect(text.out).toMatch(/NAT: via eth0/);
    expect(text.out).toMatch(/ingress: tcp\/22 deny, default allow/);
    expect(text.out).toMatch(/http: http:\/\/10\.0\.1\.2:80\/ pid 4000 running/);
    expect(text.out).toMatch(
      /vpc1 <-> vpc2 {2}link p1-2 <-> p2-1 {2}allowed: 10\.0\.1\.0\/24 -> 10\.1\.1\.0\/24, 10\.1\.1\.0\/24 -> 10\.0\.1\.0\/24/,
    );
    expect(text.out).toMatch(/Host: ip_forward=1 \(was 0 before the first VPC\)/);
    expect(text.out).toMatch(/Drift: none$/);
    expect(l.system.dump()).toBe(before);

    const json = JSON.parse((await l.vpcctl('inspect', '--json')).out) as {
      vpcs: unknown[];
      drift: string[];
      state: unknown;
    };
    expect(json.vpcs).toHaveLength(2);
    expect(json.state).toEqual(l.state());

    l.system.netns.delete('vpc2-privatesub');
    l.system.processes.clear();
    l.system.iptables.set('', new Map());
    const drift = await l.vpcctl('inspect');
    expect(drift.out).toMatch(/namespace vpc2-privatesub of vpc2\/privatesub is missing/);
    expect(drift.out).toMatch(/HTTP server of vpc1\/publicsub \(pid 4000\) is not running/);
    expect(drift.out).toMatch(/iptables filter: vpcctl's rules differ from the state/);
    expect(drift.out).toMatch(/iptables nat: vpcctl's rules differ from the state/);
  });

  it('the next command puts rules someone flushed back', async () => {
    const l = lab();
    await seed(l);
    const rules = l.system.dump();
    l.system.iptables.set('', new Map());
    expect(await l.vpcctl('allow-intra-vpc', 'vpc1')).toMatchObject({ code: 0 });
    expect(l.system.dump()).toBe(rules);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    [['create-vpc', '--name', 'vpc3', '--cidr', '10.0.0.0/33'], /prefix "33"/],
    [['create-vpc', '--name', 'vpc1', '--cidr', '10.9.0.0/16'], /already exists with CIDR 10\.0\.0\.0\/16/],
    [['create-vpc', '--name', 'averylongvpcname', '--cidr', '10.9.0.0/16'], /too long/],
    [['add-subnet', '--vpc', 'vpc1', '--name', 'x', '--cidr', '10.3.0.0/24'], /outside VPC vpc1/],
    [
      ['add-subnet', '--vpc', 'vpc1', '--name', 'x', '--cidr', '10.0.2.0/23'],
      /overlaps subnet vpc1\/privatesub/,
    ],
    [
      ['add-subnet', '--vpc', 'vpc1', '--name', 'x', '--cidr', '10.0.7.0/24', '--type', 'dmz'],
      /--type "dmz" is not valid/,
    ],
    [
      ['enable-nat', '--vpc', 'vpc1', '--subnet', 'publicsub', '--wan', 'wlan0'],
      /--wan interface "wlan0" does not exist/,
    ],
    [['peer-vpcs', '--bridge-a', 'br-vpc1', '--bridge-b', 'br-x'], /no VPC has a bridge named "br-x"/],
    [['peer-vpcs', '--bridge-a', 'br-vpc1'], /--bridge-b is required/],
    [['allow-cidr', '--src', '10.0.1.0/24', '--dst', '10.0.2.0/24'], /both in VPC vpc1/],
    [['allow-intra-vpc'], /missing --vpc NAME/],
    [['teardown-vpc', 'vpc1', '--name', 'vpc2'], /two different names given/],
    [['apply-policy', '--vpc', 'vpc1', '--file', 'p.json'], /give both --vpc and --subnet, or neither/],
  ])('%j', async (argv, message) => {
    const l = lab();
    await seed(l, SEED_VPC1);
    l.system.files.set('p.json', JSON.stringify({ subnet: '10.0.1.0/24' }));
    const before = l.system.dump();
    const state = l.stateText();
    l.system.commands = [];
    const result = await l.vpcctl(...argv);
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/^error\[E_[A-Z_]+\]: /);
    expect(result.code).toBe(2);
    expect(l.system.dump()).toBe(before);
    expect(l.stateText()).toBe(state);
    expect(l.system.commands).toEqual([]);
  });
});

describe('failures', () => {
  it('a failing step rolls back what the command did, keeps the state, exits 1', async () => {
    const l = lab();
    await seed(l, SEED_VPC1.slice(0, 2));
    const before = l.system.dump();
    const state = l.stateText();
    l.system.failOn = /route add default via 10\.0\.2\.1/;
    const result = await l.vpcctl(
      'add-subnet',
      '--vpc',
      'vpc1',
      '--name',
      'privatesub',
      '--cidr',
      '10.0.2.0/24',
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/simulated failure/);
    expect(result.err).toMatch(/what this command had changed was rolled back/);
    expect(l.system.dump()).toBe(before);
    expect(l.stateText()).toBe(state);
  });

  it('the first create-vpc failing leaves no trace: routing off again, no tables', async () => {
    const l = lab();
    const pristine = l.system.dump();
    l.system.failOn = /link add br-vpc1/;
    expect((await l.vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16')).code).toBe(1);
    expect(l.system.dump()).toBe(pristine);
    expect(l.stateText()).toBeUndefined();
  });

  it('a failing teardown step keeps the VPC in the state; running it again finishes the job', async () => {
    const l = lab();
    const pristine = l.system.dump();
    await seed(l, SEED_VPC1);
    l.system.failOn = /link del v1s2/;
    const result = await l.vpcctl('teardown-vpc', 'vpc1');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/ip link del v1s2: simulated failure/);
    expect(l.state().vpcs.map((v) => v.name)).toEqual(['vpc1']);
    expect(l.system.links.has('br-vpc1')).toBe(false);
    expect(await l.vpcctl('teardown-vpc', 'vpc1')).toMatchObject({ code: 0 });
    expect(l.system.dump()).toBe(pristine);
  });

  it('teardown-all carries on past a VPC it cannot remove, and says which', async () => {
    const l = lab();
    await seed(l);
    l.system.failOn = /link del br-vpc1/;
    const result = await l.vpcctl('teardown-all');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /could not tear down every VPC:\nvpc1: ip link del br-vpc1: simulated failure/,
    );
    expect(l.state().vpcs.map((v) => v.name)).toEqual(['vpc1']);
    expect(l.system.links.has('br-vpc2')).toBe(false);
    expect(await l.vpcctl('teardown-all')).toMatchObject({ code: 0 });
    expect(l.state().vpcs).toEqual([]);
  });

  it('refuses to run without root, but --dry-run works', async () => {
    const l = lab();
    l.system.root = false;
    const result = await l.vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16');
    expect(result).toMatchObject({ code: 1, err: expect.stringMatching(/needs root[\s\S]*sudo/) });
    expect(
      await l.vpcctl('--dry-run', 'create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16'),
    ).toMatchObject({ code: 0 });
  });

  it('waits for the lock, then gives up with a clear message', async () => {
    const l = lab();
    const other = new StateStore(l.dir);
    other.lock();
    try {
      const result = await l.vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16');
      expect(result.code).toBe(1);
      expect(result.err).toMatch(new RegExp(`another vpcctl \\(pid ${process.pid}\\) holds .*state\\.lock`));
    } finally {
      other.unlock();
    }
    expect((await l.vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16')).code).toBe(0);
  });

  it('a broken state file is reported, not overwritten', async () => {
    const l = lab();
    await seed(l, SEED_VPC1.slice(0, 1));
    await import('node:fs').then((fs) =>
      fs.writeFileSync(join(l.dir, 'state.json'), '{"version": 1, "vpcs": [{}]}'),
    );
    const result = await l.vpcctl('add-subnet', '--vpc', 'vpc1', '--name', 'a', '--cidr', '10.0.1.0/24');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /does not match the state schema[\s\S]*\/vpcs\/0: missing required property "name"/,
    );
  });
});

describe('--dry-run and --verbose', () => {
  it('--dry-run prints the exact commands and changes nothing (no state, no log)', async () => {
    const l = lab();
    const before = l.system.dump();
    const result = await l.vpcctl('--dry-run', 'create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16');
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      [
        'sysctl -w net.ipv4.ip_forward=1',
        "iptables-restore --noflush <<'EOF'",
        '*filter',
        ':VPCCTL-FORWARD - [0:0]',
        '-A VPCCTL-FORWARD -o br-vpc1 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "vpcctl:vpc1:replies" -j ACCEPT',
        '-A VPCCTL-FORWARD -i br-vpc1 -m comment --comment "vpcctl:vpc1:default-deny" -j DROP',
        '-A VPCCTL-FORWARD -o br-vpc1 -m comment --comment "vpcctl:vpc1:default-deny" -j DROP',
        '-I FORWARD 1 -m comment --comment vpcctl -j VPCCTL-FORWARD',
        'COMMIT',
        'EOF',
        'ip link add br-vpc1 address 02:76:70:63:00:01 type bridge',
        'ip link set br-vpc1 up',
        '# dry run: created VPC vpc1 (10.0.0.0/16) with bridge br-vpc1',
      ].join('\n'),
    );
    expect(l.system.dump()).toBe(before);
    expect(existsSync(join(l.dir, 'state.json'))).toBe(false);
    expect(existsSync(join(l.dir, 'vpcctl.log'))).toBe(false);
  });

  it('global options also work after the command', async () => {
    const l = lab();
    const result = await l.vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16', '--dry-run');
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining('ip link add br-vpc1') });
    expect(l.stateText()).toBeUndefined();
  });

  it('--verbose traces each command to stderr; the log records every action with a timestamp', async () => {
    const l = lab();
    const result = await l.vpcctl('-v', 'create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16');
    expect(result.err).toMatch(/^\+ ip link add br-vpc1 address 02:76:70:63:00:01 type bridge$/m);
    expect(result.err).toMatch(/\[ip -batch: exit 0, \d+ ms\]/);
    const log = readFileSync(join(l.dir, 'vpcctl.log'), 'utf8');
    expect(log).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z \[\d+\] \$ vpcctl -v create-vpc --name vpc1 --cidr 10\.0\.0\.0\/16$/m,
    );
    expect(log).toMatch(/ran \(ip -batch: exit 0, \d+ ms\): ip link add br-vpc1/);
    expect(log).toMatch(/exit 0$/m);
    await l.vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.9.0.0/16');
    expect(readFileSync(join(l.dir, 'vpcctl.log'), 'utf8')).toMatch(
      /error\[E_CONFLICT\]: VPC vpc1 already exists[\s\S]*exit 2\n$/,
    );
  });
});

describe('usage', () => {
  it.each([
    'create-vpc',
    'add-subnet',
    'delete-subnet',
    'allow-intra-vpc',
    'enable-nat',
    'deploy-http',
    'isolate-vpcs',
    'peer-vpcs',
    'unpeer-vpcs',
    'allow-cidr',
    'apply-policy',
    'inspect',
    'teardown-vpc',
    'teardown-all',
  ])('%s --help shows an example and the exit codes', async (command) => {
    const l = lab();
    const result = await l.vpcctl(command, '--help');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`Usage: vpcctl ${command}`));
    expect(result.out).toMatch(new RegExp(`Example[s]?:\\n  vpcctl ${command}`));
    expect(result.out).toMatch(/Exit codes:[\s\S]*2 {2}bad usage or input/);
  });

  it('--version, --help, no command, unknown command', async () => {
    const l = lab();
    expect(await l.vpcctl('--version')).toMatchObject({ code: 0, out: '0.1.0' });
    expect(await l.vpcctl('--help')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/Commands:[\s\S]*teardown-all/),
    });
    expect((await l.vpcctl()).code).toBe(2);
    expect(await l.vpcctl('create-vcp')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Did you mean create-vpc/),
    });
  });
});
