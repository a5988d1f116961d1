import { beforeAll, describe, expect, it } from 'vitest';
import type { StartStateName } from '../../../lab/sandbox/index.js';
import { STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import type { CommandResult } from '../../../src/exec/index.js';
import { assertBuilt, type Check, inSandbox, isRoot, parseChecks } from './sandbox.js';

/**
 * The seed's "Automating with vpcctl" sequence plus apply-policy, run twice in
 * one sandbox: every Stage 4 criterion (docs/architecture.md) is probed with ping, curl
 * and TCP connects (seed-flow.sh), and the second run proves that teardown
 * left a host on which the whole flow works again. One test file per sandbox
 * start state, so they run in parallel.
 */
const RUNS = ['run1', 'run2'] as const;

export function describeSeedFlow(startState: StartStateName): void {
  describe.skipIf(!isRoot)(`vpcctl: the seed flow in a ${startState} sandbox, twice`, () => {
    let result: CommandResult;
    let checks: Check[];

    beforeAll(async () => {
      assertBuilt();
      result = await inSandbox('seed-flow.sh', [...RUNS], { startState, timeoutMs: 240_000 });
      checks = parseChecks(result.stdout);
      for (const line of result.stdout.split('\n').filter((l) => l.startsWith('INFO\t'))) {
        console.info(`[${startState}] ${line.slice(5).replace('\t', ': ')}`);
      }
    }, 260_000);

    it('ran to the end', () => {
      expect(result.timedOut, result.stderr).toBe(false);
      for (const run of RUNS) {
        expect(
          checks.some((c) => c.id === `${run}:teardown-idempotent`),
          `${run} did not finish:\n${result.stderr}`,
        ).toBe(true);
      }
    });

    it.each([
      ...STAGE4_CRITERIA,
      'source-preserved',
      'idempotent-create',
      'inspect-works',
      'teardown-independent',
    ])('%s holds in both runs', (criterion) => {
      for (const run of RUNS) {
        const mine = checks.filter(
          (c) => c.id === `${run}:${criterion}` || c.id.startsWith(`${run}:${criterion}:`),
        );
        if (criterion === 'source-preserved') {
          // Shown by the TCP probes inside a VPC and across peering: the listener reports the sender's address.
          const tcp = checks.filter(
            (c) => c.id.startsWith(`${run}:`) && /(intra-vpc-routing|peering-public):.*:tcp$/.test(c.id),
          );
          expect(tcp.length).toBeGreaterThanOrEqual(6);
          expect(tcp.filter((c) => !c.passed)).toEqual([]);
          continue;
        }
        expect(mine.length, `no check for ${criterion} in ${run}`).toBeGreaterThan(0);
        expect(mine.filter((c) => !c.passed)).toEqual([]);
      }
    });

    it('--dry-run changed nothing and printed exactly the commands the real run then ran', () => {
      for (const run of RUNS) {
        const dry = checks.filter((c) => c.id.startsWith(`${run}:dry-run:`));
        expect(dry.map((c) => c.id.split(':')[2])).toEqual([
          'create-vpc',
          'create-vpc',
          'add-subnet',
          'add-subnet',
          'enable-nat',
          'enable-nat',
          'peer-vpcs',
          'peer-vpcs',
          'apply-policy',
          'apply-policy',
          'teardown-vpc',
          'teardown-vpc',
        ]);
        expect(dry.filter((c) => !c.passed)).toEqual([]);
      }
    });

    it('every other check passed too (one-way peering, fixed bridge MAC, policy replace, ...)', () => {
      expect(checks.filter((c) => !c.passed)).toEqual([]);
      expect(checks.length).toBeGreaterThan(150);
    });
  });
}
