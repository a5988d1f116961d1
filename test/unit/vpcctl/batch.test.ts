import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBatch, splitCommandLine } from '../../../src/vpcctl/batch.js';
import { run } from '../../../src/vpcctl/cli.js';
import type { State } from '../../../src/vpcctl/model.js';
import { FakeSystem } from './fake-system.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('splitCommandLine', () => {
  it('splits words and honours quotes and escapes, without any expansion', () => {
    expect(splitCommandLine('create-vpc --name vpc1 --cidr 10.0.0.0/16')).toEqual([
      'create-vpc',
      '--name',
      'vpc1',
      '--cidr',
      '10.0.0.0/16',
    ]);
    expect(splitCommandLine(`apply-policy --file "my policy.json" --x 'a b' c\\ d $HOME`)).toEqual([
      'apply-policy',
      '--file',
      'my policy.json',
      '--x',
      'a b',
      'c d',
      '$HOME',
    ]);
    expect(() => splitCommandLine('inspect "open', 7)).toThrow(/line 7: unterminated " quote/);
  });
});

describe('parseBatch', () => {
  it('skips blanks and comments, drops a leading vpcctl, keeps line numbers, refuses nesting', () => {
    expect(parseBatch('# the lab\n\nvpcctl create-vpc --name a --cidr 10.0.0.0/16\n  inspect  \n')).toEqual([
      { line: 3, argv: ['create-vpc', '--name', 'a', '--cidr', '10.0.0.0/16'] },
      { line: 4, argv: ['inspect'] },
    ]);
    expect(() => parseBatch('inspect\nbatch other.vpc')).toThrow(
      /line 2: a batch file cannot run another batch/,
    );
  });
});

describe('vpcctl batch', () => {
  function setup(text: string) {
    const system = new FakeSystem();
    const dir = mkdtempSync(join(tmpdir(), 'vpcctl-batch-'));
    dirs.push(dir);
    const file = join(dir, 'lab.vpc');
    writeFileSync(file, text);
    const err: string[] = [];
    const vpcctl = (...argv: string[]) =>
      run(argv, {
        system,
        env: { VPCCTL_STATE_DIR: dir, VPCCTL_LOCK_TIMEOUT_MS: '200' },
        out: () => {},
        err: (t) => err.push(t),
        now: () => '2026-01-01T00:00:00.000Z',
        planOptions: { httpServerScript: '/opt/vpcctl/http-server.js' },
      });
    const state = () => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as State;
    return { file, vpcctl, state, err };
  }

  it('runs every line in order, as the same commands one by one would', async () => {
    const { file, vpcctl, state } = setup(
      [
        'create-vpc --name vpc1 --cidr 10.0.0.0/16',
        'add-subnet --vpc vpc1 --name publicsub --cidr 10.0.1.0/24',
        'add-subnet --vpc vpc1 --name privatesub --cidr 10.0.2.0/24',
      ].join('\n'),
    );
    expect(await vpcctl('batch', file)).toBe(0);
    const vpcs = state().vpcs as unknown as { name: string; subnets: { name: string }[] }[];
    expect(vpcs.map((v) => v.name)).toEqual(['vpc1']);
    expect(vpcs[0]?.subnets.map((s) => s.name)).toEqual(['publicsub', 'privatesub']);
  });

  it('stops at the first failing line, names it, exits with its code and runs nothing after it', async () => {
    const { file, vpcctl, state, err } = setup(
      [
        'create-vpc --name vpc1 --cidr 10.0.0.0/16',
        'add-subnet --vpc nosuch --name x --cidr 10.0.1.0/24',
        'create-vpc --name vpc2 --cidr 10.1.0.0/16',
      ].join('\n'),
    );
    expect(await vpcctl('batch', file)).toBe(2);
    expect(err.join('\n')).toMatch(
      /lab\.vpc:2: `vpcctl add-subnet --vpc nosuch --name x --cidr 10\.0\.1\.0\/24` failed \(exit 2\)/,
    );
    const vpcs = state().vpcs as unknown as { name: string }[];
    expect(vpcs.map((v) => v.name)).toEqual(['vpc1']);
  });

  it('names a missing file and exits non-zero', async () => {
    const { vpcctl, err } = setup('');
    expect(await vpcctl('batch', '/nonexistent/lab.vpc')).not.toBe(0);
    expect(err.join('\n')).toMatch(/cannot read the batch file \/nonexistent\/lab\.vpc/);
  });
});
