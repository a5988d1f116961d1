import { describe, expect, it } from 'vitest';
import { parseEvents } from '../../../src/events/jsonl.js';
import type { RecordEvent } from '../../../src/events/types.js';
import { makeResult } from '../../../src/exec/result.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import {
  criterionCommands,
  criterionExcerpt,
  indexEvents,
  phaseExcerpt,
} from '../../../src/reports/transcript-excerpt.js';
import { FAKE_RECORD, failingRun } from './fixtures.js';

const T = '2026-11-24T15:00:00';

function start(id: number, ms: string, label: string, argv: string[], netns?: string): RecordEvent {
  const escapedCommand = netns ? `ip netns exec ${netns} ${argv.join(' ')}` : argv.join(' ');
  return { kind: 'start', id, at: `${T}.${ms}Z`, argv, netns, escapedCommand, label };
}

function end(
  id: number,
  ms: string,
  argv: string[],
  exitCode: number,
  out: { stdout?: string; stderr?: string },
) {
  const result = makeResult({ argv, startedAt: new Date(`${T}.000Z`), durationMs: 2, exitCode, ...out });
  return { kind: 'end', id, at: `${T}.${ms}Z`, result } satisfies RecordEvent;
}

const CREATE1 = ['vpcctl', 'create-vpc', '--name', 'vpc1'];
const PING = ['ping', '-c', '1', '10.0.2.2'];
const CREATE2 = ['vpcctl', 'create-vpc', '--name', 'vpc2'];

/** Two commands of different phases that overlap in time: #2 starts in vpc1 and ends after phase vpc2 began. */
function overlapping(stderr = 'boom\n'): RecordEvent[] {
  return [
    { kind: 'phase', at: `${T}.000Z`, phase: 'vpc1', state: 'begin' },
    start(1, '001', 'step:createVpc', CREATE1),
    start(2, '002', 'probe:vpc1:icmp:a->b', PING, 'vpc1-publicsub'),
    end(1, '003', CREATE1, 0, { stdout: 'created\n' }),
    { kind: 'phase', at: `${T}.004Z`, phase: 'vpc1', state: 'end', durationMs: 4 },
    { kind: 'phase', at: `${T}.004Z`, phase: 'vpc2', state: 'begin' },
    start(3, '004', 'step:createVpc', CREATE2),
    end(2, '005', PING, 0, { stdout: `${FAKE_RECORD}\n` }),
    end(3, '006', CREATE2, 1, { stderr }),
  ];
}

function criterionWith(probes: Partial<CriterionResult['probes'][number]>[]): CriterionResult {
  return {
    id: 'intra-vpc-routing',
    status: 'passed',
    message: '',
    advisory: false,
    phase: 'vpc1',
    probes: probes as CriterionResult['probes'],
  };
}

describe('event-record excerpts', () => {
  it('puts a command in the phase that was running when it started, even when it ends in the next phase', () => {
    const index = indexEvents(overlapping());
    expect(index.phases).toEqual(['vpc1', 'vpc2']);
    expect(index.entries.map((e) => [e.kind, e.command?.id, e.phase])).toEqual([
      ['note', undefined, 'vpc1'],
      ['command', 1, 'vpc1'],
      ['command', 2, 'vpc1'],
      ['note', undefined, 'vpc1'],
      ['note', undefined, 'vpc2'],
      ['command', 3, 'vpc2'],
    ]);
    const vpc1 = phaseExcerpt(index, 'vpc1');
    expect(vpc1).toContain('$ vpcctl create-vpc --name vpc1');
    expect(vpc1).toContain(
      '$ ip netns exec vpc1-publicsub ping -c 1 10.0.2.2\n  exit=0 signal=- timedOut=false duration=2ms',
    );
    // A target's output that looks like a record stays output: it moves no boundary.
    expect(vpc1).toContain(`  stdout| ${FAKE_RECORD}`);
    expect(vpc1).toContain(`${T}.004Z NOTE phase vpc1 ends after 4 ms\n`);
    expect(vpc1).not.toContain('vpc2 begins');
    expect(phaseExcerpt(index, 'vpc2')).toBe(
      `${T}.004Z NOTE phase vpc2 begins\n${T}.004Z #3 ns=- label=step:createVpc\n  $ vpcctl create-vpc --name vpc2\n` +
        '  exit=1 signal=- timedOut=false duration=2ms\n  stderr| boom\n',
    );
    expect(phaseExcerpt(index, 'peering')).toBe('');
  });

  it('still reads the plain `phase X begins` note of an older runner, once when a phase event says it too', () => {
    const index = indexEvents([
      { kind: 'note', at: `${T}.000Z`, text: 'phase vpc1 begins' },
      start(1, '001', 'step:createVpc', CREATE1),
      { kind: 'phase', at: `${T}.002Z`, phase: 'vpc2', state: 'begin' },
      { kind: 'note', at: `${T}.002Z`, text: 'phase vpc2 begins' },
    ]);
    expect(index.entries.map((e) => [e.kind, e.phase])).toEqual([
      ['note', 'vpc1'],
      ['command', 'vpc1'],
      ['note', 'vpc2'],
    ]);
  });

  it('finds the commands of a criterion by pasteable command or by label, within the probe phase', () => {
    const index = indexEvents(overlapping());
    const byCommand = criterionWith([
      { id: 'x', phase: 'vpc1', command: 'ip netns exec vpc1-publicsub ping -c 1 10.0.2.2' },
    ]);
    expect(criterionCommands(index, byCommand).map((c) => c.id)).toEqual([2]);
    const byLabel = criterionWith([{ id: 'vpc1:icmp:a->b', phase: 'vpc1', command: 'something else' }]);
    expect(criterionCommands(index, byLabel).map((c) => c.id)).toEqual([2]);
    const otherPhase = criterionWith([
      { id: 'x', phase: 'vpc2', command: 'ip netns exec vpc1-publicsub ping -c 1 10.0.2.2' },
    ]);
    expect(criterionCommands(index, otherPhase)).toEqual([]);
    // Without an event of the probe's phase, the whole record is searched.
    const unmarked = criterionWith([{ id: 'x', phase: 'policy', command: 'vpcctl create-vpc --name vpc2' }]);
    expect(criterionCommands(index, unmarked).map((c) => c.id)).toEqual([3]);
  });

  it('caps an excerpt and each stream, and says what was cut', () => {
    const { summary, record } = failingRun();
    const index = indexEvents(record.events);
    const full = phaseExcerpt(index, 'vpc2', { maxChars: 1_000_000 });
    const capped = phaseExcerpt(index, 'vpc2', { maxChars: 2_000 });
    expect(full.length).toBeGreaterThan(2_000);
    expect(capped.length).toBeLessThanOrEqual(2_000 + 120);
    expect(capped).toMatch(
      /… \[excerpt capped at 2000 characters: \d+ more record\(s\) of phase vpc2 cut; see transcript\.log\]\n$/,
    );
    expect(full.startsWith(capped.slice(0, 1_500))).toBe(true);

    const streamCapped = phaseExcerpt(indexEvents(overlapping(`${'x'.repeat(5_000)}\n`)), 'vpc2', {
      maxStreamChars: 100,
    });
    expect(streamCapped).toContain(`stderr| ${'x'.repeat(100)}\n  stderr| … [4901 more characters cut]`);

    const nat = summary.criteria.find((c) => c.id === 'nat-public-egress') as CriterionResult;
    const own = criterionExcerpt(index, nat);
    // 10 tries of each of the two probes, nothing else.
    expect(own.match(/^\S+Z #\d+ /gm)).toHaveLength(20);
  });

  it('shows a command whose end was never recorded (the harness was killed, events.jsonl cut)', () => {
    const lines = overlapping().map((e) => JSON.stringify(e));
    const cut = parseEvents(`${lines.slice(0, 4).join('\n')}\n${lines[4]?.slice(0, 15)}`);
    expect(cut.truncated).toBe(true);
    const index = indexEvents(cut.events);
    expect(index.commands.map((c) => c.id)).toEqual([1, 2]);
    expect(phaseExcerpt(index, 'vpc1')).toContain(
      '(no END record: the command never finished or the record was cut)',
    );
  });
});
