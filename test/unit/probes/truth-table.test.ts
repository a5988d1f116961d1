import { describe, expect, it } from 'vitest';
import type { ProbeOutcome, ProbeResult } from '../../../src/model/probe.js';
import { placedProbes } from '../../../src/plan/lookup.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { buildTruthTables, renderTruthTable, renderTruthTables } from '../../../src/probes/truth-table.js';

const LABELS: Record<string, string> = {
  'vpc1/publicsub': 'vpc1 public',
  'vpc1/privatesub': 'vpc1 private',
  'vpc2/publicsub': 'vpc2 public',
  'vpc2/privatesub': 'vpc2 private',
  internet: 'internet',
};

/** Results for a plan stage, every probe as expected unless `override` says otherwise. */
function resultsFor(
  stage: string,
  override: (id: string) => Partial<ProbeResult> = () => ({}),
): ProbeResult[] {
  return placedProbes(STAGE4_PLAN)
    .filter((p) => p.stage === stage)
    .map(({ phase, spec }) => ({
      id: spec.id,
      phase,
      kind: spec.kind,
      from: { subnet: spec.from, address: '10.0.0.2', label: LABELS[spec.from] ?? spec.from },
      to: { address: '10.0.0.3', label: LABELS[spec.to] ?? spec.to },
      ...(spec.port ? { port: spec.port } : {}),
      expected: spec.expected,
      control: spec.control,
      outcome: (spec.expected === 'allowed' ? 'connected' : 'timeout') as ProbeOutcome,
      command: `cmd ${spec.id}`,
      tries: 1,
      startedAt: '',
      durationMs: 1,
      ...override(spec.id),
    }));
}

describe('buildTruthTables', () => {
  it('makes one table per probe kind, rows and columns in plan order', () => {
    const tables = buildTruthTables('vpc2', resultsFor('vpc2'));
    expect(tables.map((t) => t.kind)).toEqual(['icmp', 'tcp']);
    const icmp = tables[0];
    expect(icmp?.rows).toEqual(['vpc1 public', 'vpc1 private', 'vpc2 public', 'vpc2 private']);
    expect(icmp?.columns).toEqual(['vpc1 public', 'vpc1 private', 'vpc2 public', 'vpc2 private']);
    expect(tables[1]?.columns).toEqual([
      'vpc1 public:7070',
      'vpc1 private:7070',
      'vpc2 public:7070',
      'vpc2 private:7070',
    ]);
    expect(icmp?.cells.every((c) => c.actual === c.expected)).toBe(true);
    expect(icmp?.title).toBe('vpc2: after building vpc2 and isolating the VPCs (ICMP)');
  });

  it('keeps the stages of a phase apart (policy before / after)', () => {
    const tables = buildTruthTables('policy', [
      ...resultsFor('policy-before'),
      ...resultsFor('policy-after'),
    ]);
    expect(tables.map((t) => `${t.kind} ${t.title}`)).toEqual([
      'tcp policy: before the policy: the harness listeners on 22 and 443 answer (TCP)',
      'http policy: after the policy (HTTP)',
      'tcp policy: after the policy (TCP)',
    ]);
  });

  it('notes an observation tried once that did not connect: it judges nothing', () => {
    const tables = buildTruthTables(
      'policy',
      resultsFor('policy-before', (id) => (id.endsWith(':22') ? { outcome: 'timeout', once: true } : {})),
    );
    const cells = tables.flatMap((t) => t.cells);
    expect(cells.find((c) => c.probeId.endsWith(':22'))).toMatchObject({
      actual: 'blocked',
      note: 'an observation, tried once: judged by no criterion',
    });
    expect(cells.find((c) => c.probeId.endsWith(':443'))?.note).toBeUndefined();
  });

  it('notes a blocked reading that does not count, an error, and retries', () => {
    const results = resultsFor('vpc1', (id) => {
      if (id === 'vpc1:icmp:vpc1/privatesub->internet') return { controlsPassed: false };
      if (id === 'vpc1:http:vpc1/privatesub->internet:80')
        return { outcome: 'error', detail: 'the namespace is gone' };
      if (id === 'vpc1:icmp:vpc1/publicsub->internet') return { tries: 3 };
      return {};
    });
    const cells = buildTruthTables('vpc1', results).flatMap((t) => t.cells);
    const cell = (id: string) => cells.find((c) => c.probeId === id);
    expect(cell('vpc1:icmp:vpc1/privatesub->internet')?.note).toMatch(/^not counted/);
    expect(cell('vpc1:http:vpc1/privatesub->internet:80')).toMatchObject({
      actual: 'checkfailed',
      note: 'probe error: the namespace is gone',
    });
    expect(cell('vpc1:icmp:vpc1/publicsub->internet')?.note).toBe('connected after 3 tries');
  });

  it('reads refused as allowed (the packet arrived)', () => {
    const results = resultsFor('vpc2', (id) =>
      id === 'vpc2:tcp:vpc1/privatesub->vpc2/publicsub:7070' ? { outcome: 'refused' } : {},
    );
    const cell = buildTruthTables('vpc2', results)
      .flatMap((t) => t.cells)
      .find((c) => c.probeId === 'vpc2:tcp:vpc1/privatesub->vpc2/publicsub:7070');
    expect(cell).toMatchObject({ expected: 'blocked', actual: 'allowed' });
  });
});

describe('renderTruthTable', () => {
  it('prints a grid and lists each mismatch with its command', () => {
    const results = resultsFor('vpc1', (id) =>
      id === 'vpc1:icmp:vpc1/privatesub->internet' ? { outcome: 'connected' } : {},
    );
    const [icmp] = buildTruthTables('vpc1', results);
    const text = renderTruthTable(icmp as NonNullable<typeof icmp>);
    expect(text.split('\n').slice(0, 4)).toEqual([
      'vpc1: after building vpc1 (ICMP)',
      'from \\ to     vpc1 public  vpc1 private  internet',
      'vpc1 public   .            allow         allow',
      'vpc1 private  allow        .             ALLOW!',
    ]);
    expect(text).toContain('  ! vpc1 private -> internet: expected blocked, got allowed');
    expect(text).toContain('    $ cmd vpc1:icmp:vpc1/privatesub->internet');
  });

  it('marks uncounted and broken cells', () => {
    const results = resultsFor('vpc1', (id) => {
      if (id === 'vpc1:icmp:vpc1/privatesub->internet') return { controlsPassed: false };
      if (id === 'vpc1:icmp:vpc1/publicsub->internet') return { outcome: 'error' };
      return {};
    });
    const text = renderTruthTables(buildTruthTables('vpc1', results));
    expect(text).toMatch(/vpc1 private +allow +\. +block\?/);
    expect(text).toMatch(/vpc1 public +\. +allow +ERROR!/);
    expect(text).toContain('block? = blocked but not counted');
  });
});
