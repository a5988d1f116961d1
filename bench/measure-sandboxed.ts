import { join } from 'node:path';
import { runInSandbox } from '../lab/sandbox/sandbox.js';
import { PACKAGE_ROOT } from '../src/util/paths.js';
import { type BuildLabOutcome, type ChecklistOutcome, parseBuildLab, parseChecklist } from './parse.js';

/** The reference vpcctl, laid out as the seed's repositories are. */
export const REFERENCE_VPCCTL = join(PACKAGE_ROOT, 'bin', 'vpcctl');
const BENCH_DIR = join(PACKAGE_ROOT, 'bench');

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}

/** bench/checklist.sh on the reference in a fresh sandbox (timed inside it). */
export async function measureChecklist(vpcctl = REFERENCE_VPCCTL): Promise<ChecklistOutcome> {
  const result = await runInSandbox(['bash', join(BENCH_DIR, 'checklist.sh')], {
    env: { VPCCTL: vpcctl },
    outputToFiles: true,
    timeoutMs: 15 * 60_000,
    label: 'bench:checklist',
  });
  const outcome = parseChecklist(result.stdout);
  if (!outcome) {
    throw new Error(
      `checklist.sh did not finish (exit ${result.exitCode ?? result.signal}): ${tail(result.stderr || result.stdout)}`,
    );
  }
  return outcome;
}

/** bench/build-lab.sh in a fresh sandbox: `reference` (vpcctl) or `seed` (bench/seed-lab.sh). */
export async function measureBuildLab(
  mode: 'reference' | 'seed',
  vpcctl = REFERENCE_VPCCTL,
): Promise<BuildLabOutcome> {
  const result = await runInSandbox(['bash', join(BENCH_DIR, 'build-lab.sh'), mode], {
    env: { VPCCTL: vpcctl },
    outputToFiles: true,
    timeoutMs: 5 * 60_000,
    label: `bench:build-lab:${mode}`,
  });
  const outcome = parseBuildLab(result.stdout);
  if (!outcome) {
    throw new Error(
      `build-lab.sh ${mode} did not finish (exit ${result.exitCode ?? result.signal}): ${tail(result.stderr || result.stdout)}`,
    );
  }
  if (!outcome.ok)
    throw new Error(`build-lab.sh ${mode}: the lab did not answer after the build: ${tail(result.stdout)}`);
  return outcome;
}
