import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Manifest, parseManifest } from '../../../src/batch/manifest.js';
import type { VerifyOne, VerifyOneOptions } from '../../../src/batch/runner.js';
import type { CriterionId } from '../../../src/model/criteria.js';
import { type FixtureOptions, makeSummary } from './fixtures.js';

/**
 * A stand-in for the single-run verifier: behaviour per submission directory
 * name, writes `<outDir>/<run-id>/summary.json` and `report.html` as the real
 * one does, and records how many runs were in flight at once.
 */
export type Behaviour =
  | { kind: 'summary'; options?: FixtureOptions; exitCode?: number; delayMs?: number }
  | { kind: 'crash'; delayMs?: number }
  | { kind: 'throw-sync' }
  | { kind: 'hang'; honoursAbort: boolean }
  | { kind: 'no-summary'; exitCode: number; error?: string };

export interface FakeVerifier {
  verifyOne: VerifyOne;
  calls: VerifyOneOptions[];
  maxInFlight: () => number;
  aborted: string[];
}

export function fakeVerifier(behaviours: Record<string, Behaviour>): FakeVerifier {
  let inFlight = 0;
  let max = 0;
  const calls: VerifyOneOptions[] = [];
  const aborted: string[] = [];
  const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

  const verifyOne: VerifyOne = (options) => {
    const name = basename(options.targetDir);
    const behaviour = behaviours[name] ?? { kind: 'summary' };
    calls.push(options);
    if (behaviour.kind === 'throw-sync') throw new Error(`synchronous failure for ${name}`);
    return (async () => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      options.signal?.addEventListener('abort', () => aborted.push(name));
      try {
        switch (behaviour.kind) {
          case 'crash':
            await sleep(behaviour.delayMs ?? 5);
            throw new TypeError(`Cannot read properties of undefined (reading 'netns') <${name}>`);
          case 'hang':
            await new Promise<void>((done) => {
              if (behaviour.honoursAbort) options.signal?.addEventListener('abort', () => done());
            });
            return { summary: undefined, exitCode: 4, reportsDir: options.outDir, error: 'aborted' };
          case 'no-summary':
            await sleep(5);
            return {
              summary: undefined,
              exitCode: behaviour.exitCode,
              reportsDir: options.outDir,
              ...(behaviour.error ? { error: behaviour.error } : {}),
            };
          case 'summary': {
            await sleep(behaviour.delayMs ?? 30);
            const summary = makeSummary(name, behaviour.options);
            const reportsDir = join(options.outDir, summary.runId);
            summary.reportsDir = reportsDir;
            mkdirSync(reportsDir, { recursive: true });
            writeFileSync(join(reportsDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
            writeFileSync(join(reportsDir, 'report.html'), `<!doctype html><title>${name}</title>`);
            return {
              summary,
              exitCode: behaviour.exitCode ?? (summary.verdict === 'pass' ? 0 : 1),
              reportsDir,
            };
          }
        }
      } finally {
        inFlight -= 1;
      }
    })();
  };
  return { verifyOne, calls, maxInFlight: () => max, aborted };
}

/** The class used by the batch tests: 8 submissions, every kind of ending. */
export const CLASS: Record<string, Behaviour> = {
  alice: { kind: 'summary' },
  bob: { kind: 'summary', options: { failing: ['nat-private-blocked', 'policy-denied'] as CriterionId[] } },
  carol: { kind: 'summary', options: { failing: ['source-preserved'], notRun: ['inspect-works'] } },
  dave: { kind: 'crash' },
  erin: { kind: 'hang', honoursAbort: true },
  frank: {
    kind: 'summary',
    options: {
      failing: ['peering-public', 'teardown-clean'],
      errors: ['policy-allowed'],
      notRun: ['policy-denied'],
    },
  },
  grace: { kind: 'summary', options: { startedAt: '2026-11-24T15:02:00.000Z', durationMs: 61_000 } },
  heidi: {
    kind: 'no-summary',
    exitCode: 3,
    error: 'this machine cannot run labs: unshare: operation not permitted',
  },
};

/** CLASS as a manifest in `dir` (creating the submissions' folders), plus `ghost` whose folder is missing. */
export function classManifest(dir: string): Manifest {
  const subs = Object.keys(CLASS);
  for (const name of subs) mkdirSync(join(dir, 'subs', name), { recursive: true });
  const lines = [
    'defaults:',
    '  timeouts:',
    '    default: 20000',
    '    steps: {deployHttp: 60000}',
    'submissions:',
  ];
  for (const name of subs) {
    lines.push(`  - name: ${name}`, `    dir: subs/${name}`);
    if (name === 'erin') lines.push('    timeouts: {overall: 300}');
  }
  lines.push('  - {name: ghost, dir: subs/does-not-exist, startState: docker-host}');
  return parseManifest(lines.join('\n'), join(dir, 'class.yaml'));
}
