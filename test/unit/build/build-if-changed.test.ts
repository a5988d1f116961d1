import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * scripts/build-if-changed.sh on a small project of its own shape: its
 * `build` script counts how often it runs and writes the two outputs the
 * real build writes.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const BUILD = `
const fs = require('node:fs');
if (fs.existsSync('fail-build')) process.exit(1);
fs.appendFileSync('builds.log', 'built\\n');
fs.mkdirSync('dist/src/verify', { recursive: true });
fs.mkdirSync('dist/src/vpcctl', { recursive: true });
fs.writeFileSync('dist/src/verify/main.js', '');
fs.writeFileSync('dist/src/vpcctl/vpcctl.cjs', '');
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-if-changed-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'p', private: true, scripts: { build: 'node build.cjs' } }),
    'package-lock.json': '{}',
    'tsconfig.json': '{}',
    'tsconfig.build.json': '{}',
    'build.cjs': BUILD,
    'scripts/bundle-vpcctl.mjs': '',
    'src/vpcctl/cli.ts': 'export const a = 1;\n',
    'src/vpcctl/cli.test.ts': 'test\n',
    'lab/sandbox/index.ts': 'export const b = 2;\n',
    'bench/run.ts': 'export const c = 3;\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  cpSync(join(PACKAGE_ROOT, 'scripts/build-if-changed.sh'), join(dir, 'scripts/build-if-changed.sh'));
  return dir;
}

function buildIfChanged(dir: string) {
  const r = spawnSync('bash', [join(dir, 'scripts/build-if-changed.sh')], { cwd: dir, encoding: 'utf8' });
  let builds = 0;
  try {
    builds = readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {}
  return { code: r.status, builds, out: r.stdout };
}

// Each build is an `npm run`, slow on a loaded machine: a generous limit, never a measurement.
describe('scripts/build-if-changed.sh', { timeout: 60_000 }, () => {
  it('builds the first time, then not again while nothing changed', () => {
    const dir = project();
    expect(buildIfChanged(dir)).toMatchObject({ code: 0, builds: 1 });
    expect(buildIfChanged(dir)).toMatchObject({ code: 0, builds: 1, out: '' });
  });

  it('a new mtime with the same content (a git checkout) is no change', () => {
    const dir = project();
    buildIfChanged(dir);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src/vpcctl/cli.ts'), later, later);
    expect(buildIfChanged(dir).builds).toBe(1);
  });

  it('builds again when a source, a new file, the lock file or the bundle script changes', () => {
    const dir = project();
    buildIfChanged(dir);
    const changes: Array<[string, string]> = [
      ['src/vpcctl/cli.ts', 'export const a = 2;\n'],
      ['lab/sandbox/new.ts', 'export {};\n'],
      ['bench/run.ts', 'export const c = 4;\n'],
      ['package-lock.json', '{"lockfileVersion":3}'],
      ['scripts/bundle-vpcctl.mjs', '// changed\n'],
    ];
    let expected = 1;
    for (const [path, text] of changes) {
      writeFileSync(join(dir, path), text);
      expected++;
      expect(buildIfChanged(dir).builds, path).toBe(expected);
    }
  });

  it('a test file is not an input of the build', () => {
    const dir = project();
    buildIfChanged(dir);
    writeFileSync(join(dir, 'src/vpcctl/cli.test.ts'), 'changed\n');
    expect(buildIfChanged(dir).builds).toBe(1);
  });

  it('builds again when an output is missing', () => {
    const dir = project();
    buildIfChanged(dir);
    rmSync(join(dir, 'dist/src/vpcctl/vpcctl.cjs'));
    expect(buildIfChanged(dir).builds).toBe(2);
  });

  it('a failed build fails the script and is tried again next time', () => {
    const dir = project();
    buildIfChanged(dir);
    writeFileSync(join(dir, 'src/vpcctl/cli.ts'), 'export const a = 3;\n');
    writeFileSync(join(dir, 'fail-build'), '');
    expect(buildIfChanged(dir)).toMatchObject({ code: 1, builds: 1 });
    rmSync(join(dir, 'fail-build'));
    expect(buildIfChanged(dir)).toMatchObject({ code: 0, builds: 2 });
  });
});
