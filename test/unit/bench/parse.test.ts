import { describe, expect, it } from 'vitest';
import { keyValues, parseBuildLab, parseChecklist } from '../../../bench/parse.js';

describe('keyValues', () => {
  it('reads key=value tokens after the prefix only', () => {
    expect(keyValues('build-lab: mode=seed ok=1', 'build-lab')).toEqual({ mode: 'seed', ok: '1' });
    expect(keyValues('checklist: a=1', 'build-lab')).toBeUndefined();
  });
});

describe('parseChecklist', () => {
  const output = [
    'PASS vpc-created vpc1-publicsub',
    'FAIL policy-denied tcp/22',
    'PASS teardown-clean sandbox as before',
    'checklist: passed=2 failed=1 vpcctl_ms=4131 checks_ms=214924 total_ms=222160',
    '',
  ].join('\n');

  it('reads the counts, the times and the failing checks', () => {
    expect(parseChecklist(output)).toEqual({
      passed: 2,
      failed: 1,
      failures: ['policy-denied tcp/22'],
      vpcctlMs: 4131,
      checksMs: 214_924,
      totalMs: 222_160,
    });
  });

  it('has no result when the closing line is missing (the script did not finish)', () => {
    expect(parseChecklist('PASS a\nPASS b\n')).toBeUndefined();
  });

  it('refuses a closing line with a missing time', () => {
    expect(() => parseChecklist('checklist: passed=1 failed=0 total_ms=5')).toThrow(/vpcctl_ms/);
  });
});

describe('parseBuildLab', () => {
  it('reads the build time, the check and each call', () => {
    const out = parseBuildLab(
      [
        'cmd_ms=138 create-vpc --name vpc1 --cidr 10.0.0.0/16',
        'cmd_ms=151 peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2',
        'build-lab: mode=reference ok=1 build_ms=2130 calls=2 noop_ms=82 node_ms=55',
      ].join('\n'),
    );
    expect(out).toEqual({
      mode: 'reference',
      ok: true,
      buildMs: 2130,
      calls: 2,
      noopMs: 82,
      nodeMs: 55,
      commands: [
        { command: 'create-vpc --name vpc1 --cidr 10.0.0.0/16', ms: 138 },
        { command: 'peer-vpcs --bridge-a br-vpc1 --bridge-b br-vpc2', ms: 151 },
      ],
    });
  });

  it('reports a lab that did not answer as not ok', () => {
    expect(parseBuildLab('build-lab: mode=seed ok=0 build_ms=525 calls=1 noop_ms=0 node_ms=0')?.ok).toBe(
      false,
    );
  });
});
