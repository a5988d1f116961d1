import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADVISORY_CRITERIA, isCriterionId, STAGE4_CRITERIA } from '../../../../src/criteria/ids.js';
import type { CriterionId } from '../../../../src/model/criteria.js';
import { PACKAGE_ROOT } from '../../../../src/util/paths.js';
import { run } from '../../../../src/vpcctl/cli.js';
import { CORRECT_VARIANTS, FAULTS, findVariant, VARIANTS } from '../../../support/vpcctl/faults.js';
import { resolveVariant } from '../../../support/vpcctl/select.js';
import { commandOf, expectedFailures, type Variant } from '../../../support/vpcctl/variant.js';
import { FakeSystem } from '../../vpcctl/fake-system.js';

describe('the fault registry', () => {
  it('has at least 15 faults and 3 correct variants, with unique kebab-case names', () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(15);
    expect(CORRECT_VARIANTS.length).toBeGreaterThanOrEqual(3);
    const names = VARIANTS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('every fault declares at least one criterion, each a known id, none twice', () => {
    for (const fault of FAULTS) {
      expect(fault.kind, fault.name).toBe('fault');
      expect(fault.fails.length, fault.name).toBeGreaterThan(0);
      for (const id of fault.fails) expect(isCriterionId(id), `${fault.name}: ${id}`).toBe(true);
      expect(new Set(fault.fails).size, fault.name).toBe(fault.fails.length);
      for (const id of fault.failsWithBridgeNetfilter ?? []) {
        expect(isCriterionId(id), `${fault.name}: ${id}`).toBe(true);
        expect(fault.fails, `${fault.name}: ${id} is declared twice`).not.toContain(id);
      }
    }
  });

  it('the expected failures add the br_netfilter ones only where bridged frames cross iptables', () => {
    const fault = {
      ...(FAULTS[0] as Variant),
      fails: ['source-preserved'],
      failsWithBridgeNetfilter: ['intra-vpc-routing'],
    } as Variant;
    expect(expectedFailures(fault, false)).toEqual(['source-preserved']);
    expect(expectedFailures(fault, true)).toEqual(['intra-vpc-routing', 'source-preserved']);
  });

  it('correct variants must pass everything', () => {
    for (const variant of CORRECT_VARIANTS) {
      expect(variant.kind, variant.name).toBe('correct');
      expect(variant.fails, variant.name).toEqual([]);
      expect(variant.failsWithBridgeNetfilter ?? [], variant.name).toEqual([]);
    }
  });

  it('every Stage 4 and advisory criterion is what some fault must fail', () => {
    const covered = new Set<CriterionId>(FAULTS.flatMap((f) => f.fails));
    const missing = [...STAGE4_CRITERIA, ...ADVISORY_CRITERIA].filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it('every variant says what it models and changes something', () => {
    for (const v of VARIANTS) {
      expect(v.mistake.length, v.name).toBeGreaterThan(20);
      expect(v.change.length, v.name).toBeGreaterThan(10);
      expect(v.hooks !== undefined || v.wrap !== undefined, v.name).toBe(true);
    }
  });

  it('VPCCTL_FAULT picks a variant by name; unknown or missing names list the known ones', () => {
    const first = VARIANTS[0] as Variant;
    expect(resolveVariant(first.name)).toEqual({ ok: true, variant: first });
    expect(findVariant('no-such-fault')).toBeUndefined();
    for (const value of ['no-such-fault', undefined, '']) {
      const chosen = resolveVariant(value);
      expect(chosen.ok).toBe(false);
      if (!chosen.ok) expect(chosen.message).toContain(first.name);
    }
  });

  it('docs/faults.md has a row for every variant, naming the criteria it must fail', () => {
    const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'faults.md'), 'utf8');
    for (const v of VARIANTS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${v.name}\` |`));
      expect(row, `no row for ${v.name}`).toBeDefined();
      const cells = row?.split(' | ') ?? [];
      const last = cells.at(-1) ?? '';
      for (const id of [...v.fails, ...(v.failsWithBridgeNetfilter ?? [])])
        expect(last, v.name).toContain(`\`${id}\``);
      for (const id of v.findings ?? []) expect(last, v.name).toContain(`\`${id}\``);
    }
  });

  it('reads the command from argv past global options', () => {
    expect(commandOf(['--dry-run', 'create-vpc', '--name', 'x'])).toBe('create-vpc');
    expect(commandOf(['-v', 'inspect'])).toBe('inspect');
    expect(commandOf(['--help'])).toBeUndefined();
  });
});

/** Every file the shipped entry can load: static and dynamic relative imports, from src/vpcctl/main.ts. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const spec = m[1] as string;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (target.endsWith('.ts')) queue.push(target);
    }
  }
  return seen;
}

describe('the shipped vpcctl cannot inject a fault', () => {
  it('nothing reachable from src/vpcctl/main.ts imports test/support or reads VPCCTL_FAULT', () => {
    const files = reachable(join(PACKAGE_ROOT, 'src', 'vpcctl', 'main.ts'));
    expect(files.size).toBeGreaterThan(10);
    expect([...files.keys()].some((f) => f.endsWith('commands.ts'))).toBe(true);
    const testing = join(PACKAGE_ROOT, 'test');
    expect([...files.keys()].filter((f) => f.startsWith(testing))).toEqual([]);
    expect([...files].filter(([, text]) => text.includes('VPCCTL_FAULT')).map(([f]) => f)).toEqual([]);
  });
});

/**
 * The Stage 4 lab's commands, in the verifier's order (bad input first, then
 * vpc1 with NAT and the app, vpc2 and isolation, peering, the policy, inspect,
 * teardown), against the in-memory machine.
 */
const POLICY = '/lab/policy.json';
const LAB: string[][] = [
  ['create-vpc', '--name', 'vbad1', '--cidr', '10.0.0.0/33'],
  ['teardown-vpc', '--name', 'vbad1'],
  ['create-vpc', '--name', 'vchk', '--cidr', '10.9.0.0/16'],
  ['add-subnet', '--vpc', 'vchk', '--name', 'outside', '--cidr', '10.8.1.0/24'],
  ['teardown-vpc', '--name', 'vchk'],
  ['create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16'],
  ['create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16'],
  ['add-subnet', '--vpc', 'vpc1', '--name', 'publicsub', '--cidr', '10.0.1.0/24'],
  ['add-subnet', '--vpc', 'vpc1', '--name', 'privatesub', '--cidr', '10.0.2.0/24'],
  ['allow-intra-vpc', 'vpc1'],
  ['enable-nat', '--vpc', 'vpc1', '--subnet', 'publicsub', '--wan', 'eth0'],
  ['deploy-http', '--vpc', 'vpc1', '--subnet', 'publicsub', '--port', '80'],
  ['create-vpc', '--name', 'vpc2', '--cidr', '10.1.0.0/16'],
  ['add-subnet', '--vpc', 'vpc2', '--name', 'publicsub', '--cidr', '10.1.1.0/24'],
  ['add-subnet', '--vpc', 'vpc2', '--name', 'privatesub', '--cidr', '10.1.2.0/24'],
  ['allow-intra-vpc', 'vpc2'],
  ['isolate-vpcs', '--cidr-a', '10.0.0.0/16', '--cidr-b', '10.1.0.0/16'],
  ['peer-vpcs', '--bridge-a', 'br-vpc1', '--bridge-b', 'br-vpc2'],
  ['allow-cidr', '--src', '10.0.1.0/24', '--dst', '10.1.1.0/24'],
  ['allow-cidr', '--src', '10.1.1.0/24', '--dst', '10.0.1.0/24'],
  ['apply-policy', '--vpc', 'vpc1', '--subnet', 'publicsub', '--file', POLICY],
  ['inspect'],
  ['teardown-vpc', '--name', 'vpc1'],
  ['teardown-vpc', '--name', 'vpc2'],
];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Run the lab through the CLI with a variant's hooks and wrapper, as faulty-main.ts does. */
async function runLab(variant: Variant | undefined) {
  const system = new FakeSystem();
  system.files.set(
    POLICY,
    JSON.stringify({
      subnet: '10.0.1.0/24',
      ingress: [
        { port: 80, protocol: 'tcp', action: 'allow' },
        { port: 22, protocol: 'tcp', action: 'deny' },
        { port: 443, protocol: 'tcp', action: 'deny' },
      ],
    }),
  );
  const initial = system.dump();
  const dir = mkdtempSync(join(tmpdir(), 'vpcctl-faults-'));
  dirs.push(dir);
  const transcript: string[] = [];
  for (const argv of LAB) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = { argv, command: commandOf(argv) };
    const hooks = variant?.hooks?.(ctx);
    const invoke = (deps = {}) =>
      run(argv, {
        system,
        env: { VPCCTL_STATE_DIR: dir, VPCCTL_LOCK_TIMEOUT_MS: '200' },
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        now: () => '2026-01-01T00:00:00.000Z',
        ...deps,
        planOptions: { httpServerScript: '/opt/vpcctl/http-server.js', ...(hooks ? { hooks } : {}) },
      });
    const code = variant?.wrap ? await variant.wrap(ctx, invoke) : await invoke();
    transcript.push(`$ vpcctl ${argv.join(' ')} -> ${code}\n${out.join('\n')}\n${err.join('\n')}`);
  }
  return {
    transcript: `${transcript.join('\n')}\n${system.commands.join('\n')}`,
    initial,
    final: system.dump(),
  };
}

describe('each variant on the Stage 4 lab, against an in-memory machine', async () => {
  const reference = await runLab(undefined);

  it('the reference leaves the machine as it found it', () => {
    expect(reference.final).toBe(reference.initial);
  });

  for (const variant of VARIANTS) {
    it(`${variant.name}: runs differently from the reference; leaves something behind only if it must fail teardown-clean`, async () => {
      const lab = await runLab(variant);
      expect(lab.transcript).not.toBe(reference.transcript);
      const leaves = variant.fails.includes('teardown-clean');
      if (leaves) expect(lab.final).not.toBe(lab.initial);
      else expect(lab.final).toBe(lab.initial);
    });
  }
});
