import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinProfileNames, examplesDir, packageRoot } from '../../../src/profiles/files.js';
import { loadProfile } from '../../../src/profiles/load.js';
import { minimalProfile } from './fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'profiles-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
}

describe('built-in profiles', () => {
  it('are found from the package root (src/ under test, the same files when built)', () => {
    expect(packageRoot()).toBe(join(import.meta.dirname, '..', '..', '..'));
    expect(builtinProfileNames()).toEqual(['positional', 'seed']);
  });

  it('load by name, valid, with their source', () => {
    const seed = loadProfile('seed');
    expect(seed).toMatchObject({
      name: 'seed',
      source: 'builtin:seed',
      command: ['{dir}/bin/vpcctl'],
      wan: 'eth0',
      bridgeName: 'br-{vpc}',
      policy: { format: 'seed-json', fileName: 'policy.json' },
    });
    expect(seed.steps.createVpc).toEqual(['create-vpc', '--name', '{vpc}', '--cidr', '{cidr}']);
    expect(seed.steps.teardownVpc).toEqual(['teardown-vpc', '--name', '{vpc}']);

    const positional = loadProfile('positional');
    expect(positional.steps.allowCidr).toBeNull();
    expect(positional.steps.deployHttp).toBe('harness');
    expect(positional.steps.enableNat).toContain('--interface');
    expect(positional.steps.isolateVpcs).toEqual([]);
  });

  it('include the shipped examples, which are valid profiles too', () => {
    const files = readdirSync(examplesDir()).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['bash-vpc.json', 'python-vpcctl.json']);
    for (const file of files) {
      expect(() => loadProfile(join(examplesDir(), file))).not.toThrow();
    }
    const python = loadProfile(join(examplesDir(), 'python-vpcctl.json'));
    expect(python.steps.addSubnet).toEqual([]);
    expect(python.steps.enableNat).toEqual([]);
  });
});

describe('loadProfile from a file', () => {
  it('loads a JSON file by path and records its absolute path as the source', () => {
    const path = writeJson('mine.json', { ...minimalProfile(), name: 'mine' });
    expect(loadProfile(path)).toMatchObject({ name: 'mine', source: path });
  });

  it('prefixes every problem with the file path', () => {
    const path = writeJson('broken.json', { ...minimalProfile(), wan: 7 });
    expect(() => loadProfile(path)).toThrow(
      `${path}: /wan: wrong type (got 7), expected a Linux interface name`,
    );
  });

  it('names the line and column of a JSON syntax error', () => {
    const path = writeJson('syntax.json', '{\n  "name": "x",\n  "command": ["x"],\n}\n');
    expect(() => loadProfile(path)).toThrow(
      expect.objectContaining({
        code: 'E_SCHEMA',
        message: expect.stringMatching(
          /syntax\.json: not valid JSON at line 4, column 1: Expected double-quoted property name/,
        ),
      }),
    );
  });

  it('says which built-ins exist when a name is neither a built-in nor a file', () => {
    expect(() => loadProfile('sed')).toThrow(
      expect.objectContaining({
        code: 'E_NOT_FOUND',
        message: 'unknown profile "sed": not a built-in and not a file',
        hint: expect.stringContaining('positional, seed'),
      }),
    );
    expect(() => loadProfile(join(scratch, 'missing.json'))).toThrow(
      expect.objectContaining({ code: 'E_NOT_FOUND' }),
    );
  });
});
