import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/verify/cli.js';
import { EXIT } from '../../../src/verify/exit-codes.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t), color: false, tty: false });
  return { code, out, err };
}

describe('vpc-verify bad input', () => {
  it('names a missing target directory and exits 2, before touching anything', async () => {
    const { code, err } = await cli(['/nonexistent/student-repo']);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain('error[E_BAD_INPUT]: target directory not found: /nonexistent/student-repo');
    expect(err).toContain('hint:');
  });

  it('names each problem of an invalid profile file with its JSON path and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', command: 'vpcctl', steps: { createVPC: ['x'] } }));
    const { code, err } = await cli([dir, '--profile', file]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain('error[E_SCHEMA]');
    expect(err).toMatch(/\/command/);
    expect(err).toMatch(/createVPC.*did you mean "createVpc"/);
  });

  it('rejects an unknown built-in profile, an unknown criterion id and a bad option value', async () => {
    expect((await cli(['--profile', 'no-such-profile'])).code).toBe(EXIT.badInput);
    const only = await cli(['--only', 'vpc-created,nat-everything']);
    expect(only.code).toBe(EXIT.badInput);
    expect(only.err).toContain('unknown criterion id in --only: nat-everything');
    const state = await cli(['--start-state', 'sunny']);
    expect(state.code).toBe(EXIT.badInput);
    expect(state.err).toContain('expected one of fresh, docker-host');
    expect((await cli(['--deadline', '-3'])).code).toBe(EXIT.badInput);
    expect((await cli(['--settle-timeout', '0'])).code).toBe(EXIT.badInput);
    const both = await cli(['--compare-start-states', '--start-state', 'fresh']);
    expect(both.code).toBe(EXIT.badInput);
    expect(both.err).toContain('--compare-start-states runs every start state itself');
  });

  it('prints help with the exit codes and exits 0', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(EXIT.pass);
    expect(out).toContain('Usage: vpc-verify');
    expect(out).toContain('3  this machine cannot run labs');
  });
});
