import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter } from 'vitest/node';
import { startVitest } from 'vitest/node';
import { MODULE_EXT } from '../criteria/files.js';
import type { CriterionResult } from '../model/summary.js';
import { STAGE4_PLAN } from '../plan/stage4.js';
import type { LabPlan } from '../plan/types.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { CriterionReporter } from './reporter.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The test file that loads every criterion file, each registering its test (source or compiled, as this module). */
const ENTRY = fileURLToPath(new URL(`../criteria/scenario-run${MODULE_EXT}`, import.meta.url));

/** Every compiled module of the package (dist/). */
const COMPILED = new RegExp(`^${escapeRegExp(join(PACKAGE_ROOT, 'dist'))}/`);

/**
 * How vitest runs the criterion files (scenarios/<id>.scenario.ts; compiled,
 * when running from dist): one test per criterion, judging the lab's
 * evidence; the evidence is already gathered, so they only assert.
 */
export function scenarioRunOptions(
  evidencePath: string,
  only: readonly string[],
  reporters: Reporter[],
  plan: LabPlan = STAGE4_PLAN,
): Parameters<typeof startVitest> {
  return [
    'test',
    [],
    {
      root: PACKAGE_ROOT,
      config: false,
      include: [relative(PACKAGE_ROOT, ENTRY)],
      exclude: [],
      provide: { vpcEvidencePath: evidencePath, vpcPlan: plan },
      reporters,
      watch: false,
      pool: 'threads',
      isolate: false,
      // Compiled, the product is plain Node ESM: imported natively, not through vite's transform
      // (half the run's start-up).
      ...(MODULE_EXT === '.js' ? { server: { deps: { external: [COMPILED] } } } : {}),
      ...(only.length > 0 ? { testNamePattern: `^(${only.map(escapeRegExp).join('|')})$` } : {}),
    },
    { cacheDir: join(PACKAGE_ROOT, 'node_modules', '.vite-scenarios') },
  ];
}

/**
 * Run the scenario files (one vitest test per criterion) against the lab's
 * evidence. vitest is the engine: its tests are the criteria, and their
 * results are the verdicts (src/criteria/test-result.ts).
 */
export async function runScenarios(
  evidencePath: string,
  only: readonly string[],
  plan: LabPlan = STAGE4_PLAN,
): Promise<CriterionResult[]> {
  const reporter = new CriterionReporter(only);
  const vitest = await startVitest(...scenarioRunOptions(evidencePath, only, [reporter], plan));
  await vitest?.close();
  return reporter.criteria();
}
