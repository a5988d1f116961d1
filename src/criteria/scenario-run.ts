import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect, inject, test } from 'vitest';
import type { LabEvidence } from '../model/evidence.js';
import type { CriterionResult } from '../model/summary.js';
import type { LabPlan } from '../plan/types.js';
import { type CriterionDefinition, SCENARIO_RUN, type ScenarioRun } from './define.js';
import { scenarioFiles } from './files.js';
import { CRITERION_MATCHERS } from './matchers/index.js';
import { runCriterion } from './run.js';

/**
 * The one test file of a scenario run (src/verify/scenarios.ts): it registers
 * the criterion matchers, marks the run, and imports every criterion file, so
 * each file's defineCriterion registers its vitest test (one file for vitest
 * to collect instead of sixteen: the same tests, less start-up).
 * The lab's evidence and plan come from the run (vitest's provide/inject):
 * nothing here imports the plan, whose probe matrices are derived from the
 * criterion files themselves.
 */

declare module 'vitest' {
  interface ProvidedContext {
    /** evidence.json of the lab run being judged. */
    vpcEvidencePath: string;
    /** The plan the lab ran. */
    vpcPlan: LabPlan;
  }
  interface TaskMeta {
    criterion?: CriterionResult;
  }
}

let cached: { path: string; evidence: LabEvidence } | undefined;

function evidence(): LabEvidence {
  const path = inject('vpcEvidencePath');
  if (!path)
    throw new Error('no evidence to judge: scenarios run through vpc-verify (src/verify/scenarios.ts)');
  if (cached?.path !== path) {
    const file = JSON.parse(readFileSync(path, 'utf8')) as { evidence: LabEvidence };
    cached = { path, evidence: file.evidence };
  }
  return cached.evidence;
}

expect.extend(CRITERION_MATCHERS);

const run: ScenarioRun = {
  register(definition: CriterionDefinition) {
    test(definition.id, { meta: {} }, (context) => {
      runCriterion(
        definition,
        { plan: inject('vpcPlan'), evidence: evidence() },
        { expect: context.expect, skip: (note) => context.skip(note), meta: context.task.meta },
      );
    });
  },
};
(globalThis as { [SCENARIO_RUN]?: ScenarioRun })[SCENARIO_RUN] = run;

for (const file of scenarioFiles()) await import(pathToFileURL(file).href);
