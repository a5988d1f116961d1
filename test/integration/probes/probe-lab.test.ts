import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../../../lab/sandbox/index.js';
import type { LabEvidence } from '../../../src/model/evidence.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import { isRoot } from '../../helpers/root.js';
import { evaluate } from '../../support/criteria.js';

/**
 * Real probes in a sandboxed copy of the seed's manual lab: discovery, the
 * harness listeners, ping and curl, the settling rule and the verdict, end to
 * end (phases vpc1 and vpc2; the lab runner drives the rest).
 */
async function probeLab(...faults: string[]): Promise<LabEvidence> {
  const payload = fileURLToPath(new URL('./fixtures/probe-lab.mjs', import.meta.url));
  const result = await runInSandbox([process.execPath, payload, ...faults], { timeoutMs: 120_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null') as LabEvidence;
}

const status = (results: CriterionResult[], id: string) => results.find((r) => r.id === id)?.status;

describe.skipIf(!isRoot)('probes against the seed lab', () => {
  it('finds the subnets and judges vpc1 and vpc2 as the seed built them', async () => {
    const evidence = await probeLab();
    const vpc1 = evidence.phases[0];
    expect(vpc1?.discovery.map((d) => [d.key, d.netns, d.address, d.gatewayAnswers])).toEqual([
      ['vpc1/publicsub', 'vpc1-publicsub', '10.0.1.2', true],
      ['vpc1/privatesub', 'vpc1-privatesub', '10.0.2.2', true],
    ]);
    const tcp = vpc1?.probes.find((p) => p.id === 'vpc1:tcp:vpc1/privatesub->vpc1/publicsub:7070');
    expect(tcp).toMatchObject({ outcome: 'connected', seenSource: '10.0.2.2', httpStatus: 200 });
    expect(tcp?.command).toMatch(/^ip netns exec vpc1-privatesub curl /);
    expect(vpc1?.internetSources).toEqual(['203.0.113.10']);
    const results = evaluate(evidence);
    for (const id of [
      'intra-vpc-routing',
      'app-deployed',
      'nat-public-egress',
      'nat-private-blocked',
      'isolation-default',
      'vpc-created',
    ]) {
      expect(status(results, id), results.find((r) => r.id === id)?.message).toBe('passed');
    }
  });

  it('catches a private subnet that is masqueraded too, and VPCs that are not isolated', async () => {
    const results = evaluate(await probeLab('nat-private', 'no-isolation'));
    expect(status(results, 'nat-private-blocked')).toBe('failed');
    expect(results.find((r) => r.id === 'nat-private-blocked')?.message).toMatch(
      /vpc1 private -> internet.* got through/,
    );
    expect(status(results, 'isolation-default')).toBe('failed');
    expect(status(results, 'nat-public-egress')).toBe('passed');
    expect(status(results, 'intra-vpc-routing')).toBe('passed');
  });
});
