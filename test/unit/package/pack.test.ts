import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * What `npm pack` would publish, from package.json's `files`. Scripts are
 * skipped: `prepare` would rebuild dist/ under the other tests' feet.
 */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return (pack?.files ?? []).map((f) => f.path).sort();
}

/** Test-only code: tests, their support code and build, fixtures, fault injection. */
const TEST_ONLY = [/^test\//, /^dist-test\//, /(^|\/)testing\//, /(^|\/)fixtures?\//, /\.test\.[cm]?[jt]s$/];

describe('the published package', () => {
  const files = packedFiles();

  it('ships no test-only module', () => {
    expect(files.filter((path) => TEST_ONLY.some((re) => re.test(path)))).toEqual([]);
  });

  it('ships the product: both CLIs, the JSON read at run time, the scenario files', () => {
    const wanted = [
      'package.json',
      'README.md',
      'bin/vpcctl',
      'lab/sandbox/pid1.sh',
      'src/profiles/profile.schema.json',
      'src/profiles/builtin/seed.json',
      'src/batch/manifest.schema.json',
      'src/vpcctl/policy.schema.json',
      'src/reports/summary.schema.json',
    ];
    // dist/ exists once built (npm test builds first); a bare checkout has none to ship.
    if (existsSync(join(PACKAGE_ROOT, 'dist', 'src'))) {
      const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
        bin: Record<string, string>;
      };
      wanted.push(...Object.values(pkg.bin), 'dist/lab/sandbox/sandbox.js');
    }
    expect(wanted.filter((path) => !files.includes(path))).toEqual([]);
    expect(files.some((path) => /^scenarios\/.+\.scenario\.ts$/.test(path))).toBe(true);
  });
});
