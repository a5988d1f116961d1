import { join } from 'node:path';
import { startVitest } from 'vitest/node';
import type { CriterionResult } from '../model/summary.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { CriterionReporter } from './reporter.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Run the scenario files (one vitest test per criterion) against the lab's
 * evidence. vitest is the engine: its tests are the criteria.
 */
export async function runScenarios(
  evidencePath: string,
  only: readonly string[],
): Promise<CriterionResult[]> {
  const reporter = new CriterionReporter(only);
  process.env.VPC_EVIDENCE = evidencePath;
  const vitest = await startVitest(
    'test',
    [],
    {
      root: PACKAGE_ROOT,
      config: false,
      include: ['scenarios/*.scenario.ts'],
      reporters: [reporter],
      watch: false,
      pool: 'threads',
      isolate: false,
      // The evidence is already gathered: the files only assert, so they may run side by side.
      fileParallelism: true,
      ...(only.length > 0 ? { testNamePattern: `^(${only.map(escapeRegExp).join('|')})$` } : {}),
    },
    { cacheDir: join(PACKAGE_ROOT, 'node_modules', '.vite-scenarios') },
  );
  await vitest?.close();
  return reporter.criteria();
}
