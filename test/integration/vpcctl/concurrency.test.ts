import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/exec/index.js';
import { assertBuilt, type Check, inSandbox, isRoot, parseChecks } from './sandbox.js';

/**
 * Concurrent vpcctl invocations (the state lock), a three-VPC peering mesh (no
 * bridge loop), and a concurrent teardown that leaves nothing (concurrency.sh).
 */
describe.skipIf(!isRoot)('vpcctl: concurrent invocations and a peering mesh', () => {
  let result: CommandResult;
  let checks: Check[];

  beforeAll(async () => {
    assertBuilt();
    result = await inSandbox('concurrency.sh', [], { timeoutMs: 180_000 });
    checks = parseChecks(result.stdout);
  }, 200_000);

  it('ran to the end', () => {
    expect(result.stdout, result.stderr).toMatch(/^DONE$/m);
  });

  it.each([
    'state-after-concurrent-creates',
    'namespaces',
    'inspect-no-drift',
    'http-vpc1',
    'http-vpc3',
    'peerings',
    'mesh:vpc1-s1-to-vpc3-s1',
    'mesh:vpc1-s1-to-vpc2-s1',
    'no-broadcast-storm',
    'teardown-clean',
    'state-empty',
    'log-has-every-invocation',
  ])('%s', (id) => {
    const check = checks.find((c) => c.id === `concurrency:${id}`);
    expect(check, `no check ${id}:\n${result.stdout}\n${result.stderr}`).toBeDefined();
    expect(check?.detail).toBeDefined();
    expect(check?.passed, check?.detail).toBe(true);
  });

  it('no other check failed', () => {
    expect(checks.filter((c) => !c.passed)).toEqual([]);
  });
});
