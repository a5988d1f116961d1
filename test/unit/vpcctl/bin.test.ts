import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * The shipped bin/vpcctl as a user runs it: a real process on the bundle that
 * `npm run build` writes (scripts/bundle-vpcctl.mjs). Only calls that touch no
 * network: --version, --help and input errors, which are refused before
 * anything runs.
 */
const BIN = join(PACKAGE_ROOT, 'bin', 'vpcctl');
const BUNDLE = join(PACKAGE_ROOT, 'dist', 'src', 'vpcctl', 'vpcctl.cjs');
const META = join(PACKAGE_ROOT, 'dist', 'src', 'vpcctl', 'vpcctl.meta.json');

interface Metafile {
  inputs: Record<string, unknown>;
}

let stateDir: string;
beforeAll(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'vpcctl-bin-'));
});
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
});

function vpcctl(...argv: string[]) {
  const r = spawnSync(BIN, argv, { encoding: 'utf8', env: { ...process.env, VPCCTL_STATE_DIR: stateDir } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function inputs(): string[] {
  return Object.keys((JSON.parse(readFileSync(META, 'utf8')) as Metafile).inputs);
}

describe('bin/vpcctl runs the bundled reference', () => {
  it('the bundle is built and no older than any of its sources', () => {
    let builtAt: number;
    try {
      builtAt = statSync(BUNDLE).mtimeMs;
    } catch {
      throw new Error(`${BUNDLE} is missing: run npm run build first`);
    }
    // Only our sources: npm ci gives node_modules new mtimes without changing what is bundled.
    const stale = inputs()
      .filter((f) => f.startsWith('src/'))
      .filter((f) => statSync(join(PACKAGE_ROOT, f)).mtimeMs > builtAt);
    expect(stale, 'sources changed after the bundle was built: run npm run build').toEqual([]);
  });

  it('--version prints the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(vpcctl('--version')).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
  });

  it('--help lists the commands and the exit codes', () => {
    const r = vpcctl('--help');
    expect(r.code).toBe(0);
    for (const command of [
      'create-vpc',
      'add-subnet',
      'peer-vpcs',
      'apply-policy',
      'batch',
      'teardown-all',
    ]) {
      expect(r.out).toContain(command);
    }
    expect(r.out).toContain('Exit codes:');
  });

  it('loads the command handlers on demand: a malformed CIDR is refused with exit 2', () => {
    const r = vpcctl('create-vpc', '--name', 'v1', '--cidr', '10.0.0.0/33');
    expect(r.code).toBe(2);
    expect(r.err).toContain('E_BAD_INPUT');
    expect(r.err).toContain('10.0.0.0/33');
  });

  it('an unknown command is a usage error (exit 2)', () => {
    const r = vpcctl('no-such-command');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'no-such-command'");
  });

  it('the bundle holds the CLI and its handlers, and nothing of src/vpcctl/testing', () => {
    const files = inputs();
    expect(files).toContain('src/vpcctl/main.ts');
    expect(files).toContain('src/vpcctl/commands.ts');
    expect(files.filter((f) => f.startsWith('src/vpcctl/testing/'))).toEqual([]);
    expect(readFileSync(BUNDLE, 'utf8')).not.toContain('VPCCTL_FAULT');
  });

  it('without a build, says how to make one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpcctl-nobuild-'));
    try {
      cpSync(BIN, join(dir, 'bin', 'vpcctl'));
      const r = spawnSync(join(dir, 'bin', 'vpcctl'), ['--version'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('dist/src/vpcctl/vpcctl.cjs is missing');
      expect(r.stderr).toContain('npm run build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the file npm links as the package bin', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(join(PACKAGE_ROOT, pkg.bin.vpcctl ?? '')).toBe(BUNDLE);
    expect(execFileSync(BUNDLE, ['--version'], { encoding: 'utf8' })).toBe(vpcctl('--version').out);
  });
});
