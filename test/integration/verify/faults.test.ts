import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInSandbox } from '../../../lab/sandbox/index.js';
import { STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import type { Summary } from '../../../src/model/summary.js';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';
import { isRoot } from '../../helpers/root.js';
import { type CliRun, FIXTURES, verifyCli } from '../../helpers/verify-cli.js';
import { CORRECT_VARIANTS, FAULTS, VARIANTS } from '../../support/vpcctl/faults.js';
import { expectedFailures, type Variant } from '../../support/vpcctl/variant.js';
import { assertBuilt } from '../vpcctl/sandbox.js';

/**
 * Trust the verdicts: vpc-verify runs against the reference vpcctl with each
 * fault injected (test/fixtures/targets/faulty, VPCCTL_FAULT set by the
 * profile) and must fail exactly the criteria the fault declares, no more and
 * no fewer; each correct-but-different design must pass everything.
 */

const FAULTY = join(FIXTURES, 'faulty');
/** Sandboxes at once: a lab run is mostly waiting (probe timeouts), 3 fit on 2 cores. */
const CONCURRENCY = 3;
/**
 * A fault that breaks a positive control makes that stage's must-connect probes retry until the settle
 * timeout (45 s by default; the broadest fault stalls 6 stages). The reference and the correct variants
 * settle in well under a second (fixed bridge MAC), so 15 s keeps every verdict and a third of the time.
 */
const SETTLE_TIMEOUT_S = 15;
const RUN_DEADLINE_S = 600;
const TEST_TIMEOUT_MS = 20 * 60_000;

function profileFor(variant: Variant): string {
  const base = JSON.parse(readFileSync(join(FAULTY, 'profile.json'), 'utf8')) as Record<string, unknown>;
  const dir = mkdtempSync(join(tmpdir(), `vpc-fault-${variant.name}-`));
  const file = join(dir, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({ ...base, name: `faulty-${variant.name}`, env: { VPCCTL_FAULT: variant.name } }, null, 2),
  );
  return file;
}

/** Whether bridged frames crossed iptables in the run's sandbox (br_netfilter on the host). */
function bridgeNetfilter(summary: Summary): boolean {
  return summary.environment.startState.bridgeNfCallIptables === 1;
}

function notPassed(summary: Summary): string[] {
  return summary.criteria
    .filter((c) => c.status !== 'passed')
    .map((c) => c.id)
    .sort();
}

/** What a reader needs when the sets differ: every criterion's status and message. */
function explain(run: CliRun): string {
  const lines = run.summary.criteria.map((c) => `${c.id}: ${c.status}: ${c.message.slice(0, 400)}`);
  return `reports: ${run.reportsDir}\n${lines.join('\n')}`;
}

describe.skipIf(!isRoot)('vpc-verify against every fault and correct variant of the reference vpcctl', () => {
  const runs = new Map<string, Promise<CliRun>>();
  const runOf = (name: string): Promise<CliRun> =>
    runs.get(name) ?? Promise.reject(new Error(`no run was started for ${name} (see beforeAll)`));

  beforeAll(() => {
    assertBuilt();
    // Broad faults stall longest (every stage's positive controls retry to their deadline): start them first.
    const queue = [...VARIANTS].sort((a, b) => b.fails.length - a.fails.length);
    const started = new Map<string, (run: Promise<CliRun>) => void>();
    for (const v of queue) {
      runs.set(
        v.name,
        new Promise<CliRun>((resolve, reject) => {
          started.set(v.name, (run) => run.then(resolve, reject));
        }),
      );
      runs.get(v.name)?.catch(() => {});
    }
    const worker = async (): Promise<void> => {
      for (let v = queue.shift(); v; v = queue.shift()) {
        const run = verifyCli([
          FAULTY,
          ...['--profile', profileFor(v)],
          ...['--deadline', String(RUN_DEADLINE_S), '--settle-timeout', String(SETTLE_TIMEOUT_S)],
        ]);
        started.get(v.name)?.(run);
        await run.catch(() => {});
      }
    };
    for (let i = 0; i < CONCURRENCY; i++) void worker();
  });

  for (const fault of FAULTS) {
    const extra = fault.failsWithBridgeNetfilter ?? [];
    it(
      `${fault.name}: fails exactly ${fault.fails.join(', ')}${extra.length > 0 ? ` (with br_netfilter also ${extra.join(', ')})` : ''}`,
      async () => {
        const run = await runOf(fault.name);
        const expected = expectedFailures(fault, bridgeNetfilter(run.summary));
        expect(run.summary.deadlineHit, explain(run)).toBe(false);
        expect(notPassed(run.summary), explain(run)).toEqual(expected);
        const failsStage4 = expected.some((id) => (STAGE4_CRITERIA as readonly string[]).includes(id));
        expect(run.summary.verdict).toBe(failsStage4 ? 'fail' : 'pass');
        expect(run.exitCode).toBe(failsStage4 ? 1 : 0);
        for (const finding of fault.findings ?? [])
          expect(run.summary.findings.map((f) => f.id)).toContain(finding);
      },
      TEST_TIMEOUT_MS,
    );
  }

  for (const variant of CORRECT_VARIANTS) {
    it(
      `${variant.name}: a correct design of another shape passes every criterion`,
      async () => {
        const run = await runOf(variant.name);
        expect(notPassed(run.summary), explain(run)).toEqual([]);
        expect(run.summary.verdict).toBe('pass');
        expect(run.exitCode).toBe(0);
        const ids = run.summary.findings.map((f) => f.id);
        for (const finding of variant.findings ?? []) expect(ids).toContain(finding);
        // No warning about a design that works, but a stall that load can cause (it is measured, not judged).
        const warnings = run.summary.findings.filter(
          (f) => f.severity === 'warning' && f.id !== 'settle-stall' && !variant.findings?.includes(f.id),
        );
        expect(warnings, explain(run)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );
  }
});

describe.skipIf(!isRoot)('the shipped vpcctl ignores VPCCTL_FAULT', () => {
  it('bin/vpcctl plans the same with and without it; the test entry point plans differently', async () => {
    assertBuilt();
    // --dry-run prints the plan and changes nothing; still, it runs in a sandbox, never on the host.
    const argv = '--dry-run create-vpc --name vpc1 --cidr 10.0.0.0/16';
    const script = [
      'export VPCCTL_STATE_DIR=$(mktemp -d)',
      `"$ROOT/bin/vpcctl" ${argv} > /tmp/plain.txt`,
      `VPCCTL_FAULT=no-isolation "$ROOT/bin/vpcctl" ${argv} > /tmp/shipped.txt`,
      `VPCCTL_FAULT=no-isolation "$ROOT/test/fixtures/targets/faulty/bin/vpcctl" ${argv} > /tmp/faulty.txt`,
      'for f in plain shipped faulty; do echo "=== $f"; cat /tmp/$f.txt; done',
    ].join(' && ');
    const result = await runInSandbox(['bash', '-c', script], {
      env: { ROOT: PACKAGE_ROOT },
      timeoutMs: 60_000,
      label: 'faults:shipped-ignores-env',
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const [, plain = '', shipped = '', faulty = ''] = result.stdout.split(/^=== \w+\n/m);
    expect(plain).toContain('default-deny');
    expect(shipped).toBe(plain);
    expect(faulty).not.toContain('default-deny');
    expect(faulty).not.toBe(plain);
  }, 120_000);
});
