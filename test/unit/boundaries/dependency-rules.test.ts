import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * `npm run lint` runs dependency-cruiser with .dependency-cruiser.cjs. These
 * tests run the same command, with the same config, on a small tree of
 * files that each cross one boundary, and on the real tree.
 */
const CONFIG = join(PACKAGE_ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(PACKAGE_ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

async function cruise(cwd: string, folders: string[]): Promise<Violation[]> {
  // depcruise exits non-zero when it finds violations: the report is still on stdout.
  const result = await promisify(execFile)(
    DEPCRUISE,
    [...folders, '--config', CONFIG, '--output-type', 'json'],
    { cwd, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** A module that imports each of `targets` (paths from the tree's root). */
function writeModule(root: string, path: string, targets: string[]): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  const lines = targets.map((target, i) => {
    const up = '../'.repeat(path.split('/').length - 1) || './';
    return `import { x as x${i} } from '${up}${target.replace(/\.ts$/, '.js')}';`;
  });
  writeFileSync(file, `${lines.join('\n')}\nexport const x = 1;\n`);
}

const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

writeFileSync(
  join(root, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
);
const LEAVES = [
  'lab/shell.ts',
  'src/batch/scoreboard.ts',
  'src/exec/escape.ts',
  'src/util/cidr.ts',
  'src/verdict/teardown.ts',
  'src/verify/cli.ts',
  'src/vpcctl/model.ts',
  'test/support/vpcctl/faults.ts',
];
for (const leaf of LEAVES) writeModule(root, leaf, []);
const CASES: { file: string; imports: string[]; rules: string[] }[] = [
  {
    file: 'src/model/uses-lab.ts',
    imports: ['lab/shell.ts'],
    rules: ['shared-imports-nothing-of-ours', 'src-not-to-lab'],
  },
  { file: 'src/probes/uses-lab.ts', imports: ['lab/shell.ts'], rules: ['src-not-to-lab'] },
  { file: 'src/verify/uses-lab.ts', imports: ['lab/shell.ts'], rules: [] },
  { file: 'src/reports/uses-batch.ts', imports: ['src/batch/scoreboard.ts'], rules: ['core-not-to-batch'] },
  { file: 'src/batch/uses-reports.ts', imports: ['src/reports/uses-nothing.ts'], rules: [] },
  { file: 'src/reports/uses-nothing.ts', imports: [], rules: [] },
  { file: 'src/plan/uses-cli.ts', imports: ['src/verify/cli.ts'], rules: ['not-to-cli'] },
  { file: 'lab/uses-batch.ts', imports: ['src/batch/scoreboard.ts'], rules: ['lab-not-to-batch'] },
  {
    file: 'src/vpcctl/uses-test.ts',
    imports: ['test/support/vpcctl/faults.ts'],
    rules: ['shipped-not-to-tests', 'vpcctl-not-to-harness'],
  },
  {
    file: 'scenarios/uses-test.ts',
    imports: ['test/support/vpcctl/faults.ts'],
    rules: ['shipped-not-to-tests'],
  },
  {
    file: 'src/util/uses-verdict.ts',
    imports: ['src/verdict/teardown.ts'],
    rules: ['shared-imports-nothing-of-ours'],
  },
  { file: 'src/verdict/uses-vpcctl.ts', imports: ['src/vpcctl/model.ts'], rules: ['harness-not-to-vpcctl'] },
  {
    file: 'src/vpcctl/uses-verdict.ts',
    imports: ['src/verdict/teardown.ts'],
    rules: ['vpcctl-not-to-harness'],
  },
  { file: 'src/vpcctl/uses-shared.ts', imports: ['src/util/cidr.ts', 'src/exec/escape.ts'], rules: [] },
  { file: 'test/unit/uses-anything.ts', imports: ['lab/shell.ts', 'src/vpcctl/model.ts'], rules: [] },
];
for (const c of CASES) writeModule(root, c.file, c.imports);
const CYCLE = ['src/discovery/cycle-a.ts', 'src/discovery/cycle-b.ts'];
writeModule(root, 'src/discovery/cycle-a.ts', ['src/discovery/cycle-b.ts']);
writeModule(root, 'src/discovery/cycle-b.ts', ['src/discovery/cycle-a.ts']);

// depcruise starts TypeScript and reads every file: seconds, many more on a loaded machine.
describe('the import boundaries (.dependency-cruiser.cjs)', { timeout: 180_000 }, () => {
  it('refuses each forbidden import, by the rule that forbids it, and allows the rest', async () => {
    const violations = await cruise(root, ['src', 'lab', 'scenarios', 'test']);
    const rulesOf = (file: string) => [
      ...new Set(violations.filter((v) => v.from === file).map((v) => v.rule.name)),
    ];
    for (const c of CASES) expect(rulesOf(c.file), c.file).toEqual(c.rules);
    for (const leaf of LEAVES) expect(rulesOf(leaf), leaf).toEqual([]);
    // A cycle is reported once, from whichever of its modules is cruised first.
    expect([...new Set(CYCLE.flatMap(rulesOf))]).toEqual(['no-circular']);
  });

  it('the real tree keeps them', async () => {
    const violations = await cruise(PACKAGE_ROOT, ['src', 'lab', 'bench', 'scenarios', 'test']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });
});
