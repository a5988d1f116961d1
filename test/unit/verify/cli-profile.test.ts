import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distPath } from '../../../src/util/paths.js';
import { run } from '../../../src/verify/cli.js';
import { EXIT } from '../../../src/verify/exit-codes.js';
import { minimalProfile } from '../profiles/fixtures.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t), color: false, tty: false });
  return { code, out, err };
}

function profileFile(profile: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'profile-check-')), 'p.json');
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

describe('vpc-verify profile check', () => {
  it('says a valid profile is valid and exits 0', async () => {
    const { code, out } = await cli(['profile', 'check', 'positional']);
    expect(code).toBe(EXIT.pass);
    expect(out).toBe('builtin:positional: profile "positional" is valid (unsupported steps: allowCidr)\n');
  });

  it('explains the new fields mistakes with path, value, expectation and a did-you-mean', async () => {
    const base = minimalProfile();
    const file = profileFile({
      ...base,
      uplnk: 'ens33',
      steps: {
        ...(base.steps as object),
        allowCidr: { impliedBy: 'peer' },
        teardownSubnet: [{ argv: ['x'], alowFail: true }],
      },
    });
    const { code, err } = await cli(['profile', 'check', file]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain(`${file}: /steps/allowCidr/impliedBy: invalid value (got "peer")`);
    expect(err).toMatch(/impliedBy: .*did you mean "peerVpcs"\?/);
    expect(err).toMatch(
      /\/steps\/teardownSubnet\/0\/alowFail: unknown key "alowFail" .*did you mean "allowFail"\?/,
    );
    expect(err).toMatch(/\/uplnk: unknown key "uplnk" .*did you mean "uplink"\?/);
  });

  it('with --target, reports a cwd that does not exist unless setup may create it', async () => {
    const target = mkdtempSync(join(tmpdir(), 'target-'));
    const missing = profileFile({ ...minimalProfile(), cwd: '{dir}/build' });
    const { code, err } = await cli(['profile', 'check', missing, '--target', target]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain(
      `/cwd: the working directory ${target}/build does not exist, and no setup step could create it`,
    );
    const base = minimalProfile();
    const withSetup = profileFile({
      ...base,
      cwd: '{dir}/build',
      steps: { ...(base.steps as object), setup: ['!', 'mkdir', '-p', '{dir}/build'] },
    });
    expect((await cli(['profile', 'check', withSetup, '--target', target])).code).toBe(EXIT.pass);
  });
});

describe('vpc-verify output into a closed pipe', () => {
  it('ends quietly (`vpc-verify --help | head -3`)', async () => {
    const child = spawn(process.execPath, [distPath('src/verify/main.js'), '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
