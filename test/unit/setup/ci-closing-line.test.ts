import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

// .ci/run's closing line, from results in the shape vitest's JSON reporter writes.
const dir = mkdtempSync(join(tmpdir(), 'vpc-ci-closing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function closingLine(results: object) {
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(results));
  const out = spawnSync(process.execPath, [join(PACKAGE_ROOT, '.ci', 'closing-line.mjs'), file], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  return { status: out.status, lines: out.stdout.trim().split('\n'), stderr: out.stderr };
}

const test = (status: string, describe: string, title: string) => ({
  ancestorTitles: [describe],
  title,
  fullName: `${describe} ${title}`,
  status,
});

describe('.ci/closing-line.mjs', () => {
  it('names what was skipped, with the reason its name carries, in the closing line', () => {
    const browser = 'report.html in a real browser (skipped: VPC_BROWSER=none)';
    const out = closingLine({
      numTotalTests: 4,
      numPassedTests: 2,
      numFailedTests: 0,
      numPendingTests: 2,
      numTodoTests: 0,
      testResults: [
        {
          name: join(PACKAGE_ROOT, 'test/integration/reports/html-in-chromium.test.ts'),
          assertionResults: [
            test('skipped', browser, 'shows the verdict'),
            test('skipped', browser, 'fails'),
          ],
        },
        {
          name: join(PACKAGE_ROOT, 'test/unit/a.test.ts'),
          assertionResults: [test('passed', 'a', 'x'), test('passed', 'a', 'y')],
        },
      ],
    });
    expect(out.status).toBe(0);
    expect(out.lines).toEqual([
      `skipped: test/integration/reports/html-in-chromium.test.ts > ${browser} (2 tests)`,
      `2 passed, 0 failed, 2 skipped: ${browser}`,
    ]);
  });

  it('prints the bare counts when nothing was skipped, and fails when no test ran', () => {
    const pass = closingLine({
      numTotalTests: 1,
      numPassedTests: 0,
      numFailedTests: 1,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [
        { name: join(PACKAGE_ROOT, 'test/unit/a.test.ts'), assertionResults: [test('failed', 'a', 'x')] },
      ],
    });
    expect(pass.lines).toEqual(['0 passed, 1 failed, 0 skipped']);
    const none = closingLine({
      numTotalTests: 0,
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [],
    });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no test ran');
  });
});
