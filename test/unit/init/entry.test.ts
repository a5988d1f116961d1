import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEntry } from '../../../src/init/entry.js';
import { stepOf } from '../../../src/init/vocabulary.js';
import { FIXTURES } from '../../helpers/verify-cli.js';

describe('finding the entry point', () => {
  it('runs an executable with a shebang as it is', () => {
    expect(findEntry(join(FIXTURES, 'init-positional')).command).toEqual(['{dir}/vpcctl']);
  });

  it('runs a script without exec bit with the interpreter of its language', () => {
    const entry = findEntry(join(FIXTURES, 'init-noexec'));
    expect(entry.command).toEqual(['bash', '{dir}/vpcctl.sh']);
    expect(entry.how).toMatch(/no exec bit/);
  });

  it('runs a pyproject script of a src/ package with python3 -m', () => {
    const entry = findEntry(join(FIXTURES, 'init-python-pkg'));
    expect(entry.command).toEqual(['python3', '-m', 'netlab']);
    expect(entry.env.PYTHONPATH).toBe('{dir}/src');
  });

  it("follows a Makefile's install target", () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-entry-'));
    mkdirSync(join(dir, 'tools'));
    writeFileSync(join(dir, 'tools', 'netctl.py'), 'import sys\nprint("hi")\n');
    writeFileSync(
      join(dir, 'Makefile'),
      'install:\n\tinstall -m 755 tools/netctl.py /usr/local/bin/vpcctl\n',
    );
    writeFileSync(join(dir, 'other.sh'), 'echo\n');
    writeFileSync(join(dir, 'more.sh'), 'echo\n');
    chmodSync(join(dir, 'tools', 'netctl.py'), 0o644);
    expect(findEntry(dir).command).toEqual(['python3', '{dir}/tools/netctl.py']);
  });

  it('says what it looked for when there is nothing to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-entry-'));
    expect(() => findEntry(dir)).toThrow(/no entry point found/);
  });
});

describe('the step a command names', () => {
  it.each([
    [['create-vpc'], 'createVpc'],
    [['vpc', 'create'], 'createVpc'],
    [['--create-vpc'], 'createVpc'],
    [['create'], 'createVpc'],
    [['create', 'subnet'], 'addSubnet'],
    [['subnet', 'add'], 'addSubnet'],
    [['allow-intra-vpc'], 'allowIntraVpc'],
    [['enable-nat'], 'enableNat'],
    [['deploy-http'], 'deployHttp'],
    [['isolate-vpcs'], 'isolateVpcs'],
    [['peer-vpcs'], 'peerVpcs'],
    [['allow-cidr'], 'allowCidr'],
    [['apply-policy'], 'applyPolicy'],
    [['firewall'], 'applyPolicy'],
    [['inspect'], 'inspect'],
    [['vpc', 'delete'], 'teardownVpc'],
    [['unpeer-vpcs'], undefined],
    [['delete-subnet'], undefined],
  ])('%j is %s', (words, step) => {
    expect(stepOf(words)).toBe(step);
  });
});
