import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_HEADER } from '../../../src/exec/index.js';
import type { CriterionResult } from '../../../src/model/summary.js';
import {
  criterionCommands,
  criterionExcerpt,
  indexTranscript,
  parseTranscriptSafe,
  phaseExcerpt,
} from '../../../src/reports/transcript-excerpt.js';
import { FAKE_RECORD, failingRun } from './fixtures.js';

const T = '2026-11-24T15:00:00';

/** Two commands of different phases that overlap in time: #2 starts in vpc1 and ends after `phase vpc2 begins`. */
const OVERLAPPING = [
  TRANSCRIPT_HEADER,
  `${T}.000Z NOTE phase vpc1 begins`,
  `${T}.001Z #1 START ns=- label=step:createVpc`,
  '  $ vpcctl create-vpc --name vpc1',
  '  argv ["vpcctl","create-vpc","--name","vpc1"]',
  `${T}.002Z #2 START ns=vpc1-publicsub label=probe:vpc1:icmp:a->b`,
  '  $ ip netns exec vpc1-publicsub ping -c 1 10.0.2.2',
  '  argv ["ping","-c","1","10.0.2.2"]',
  `${T}.003Z #1 END exit=0 signal=- timedOut=false duration=2ms`,
  '  stdout| created',
  `${T}.004Z NOTE phase vpc2 begins`,
  `${T}.004Z #3 START ns=- label=step:createVpc`,
  '  $ vpcctl create-vpc --name vpc2',
  '  argv ["vpcctl","create-vpc","--name","vpc2"]',
  `${T}.005Z #2 END exit=0 signal=- timedOut=false duration=3ms`,
  `  stdout| ${FAKE_RECORD}`,
  `${T}.006Z #3 END exit=1 signal=- timedOut=false duration=2ms`,
  '  stderr| boom',
  '',
].join('\n');

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

describe('transcript excerpts', () => {
  it('puts a command in the phase whose note precedes its START, even when it ends in the next phase', () => {
    const index = indexTranscript(OVERLAPPING);
    expect(index.phases).toEqual(['vpc1', 'vpc2']);
    expect(index.entries.map((e) => [e.kind, e.command?.id, e.phase])).toEqual([
      ['note', undefined, 'vpc1'],
      ['command', 1, 'vpc1'],
      ['command', 2, 'vpc1'],
      ['note', undefined, 'vpc2'],
      ['command', 3, 'vpc2'],
    ]);
    const vpc1 = phaseExcerpt(index, 'vpc1');
    expect(vpc1).toContain('$ vpcctl create-vpc --name vpc1');
    expect(vpc1).toContain(
      '$ ip netns exec vpc1-publicsub ping -c 1 10.0.2.2\n  exit=0 signal=- timedOut=false duration=3ms',
    );
    expect(vpc1).toContain(`  stdout| ${FAKE_RECORD}`);
    expect(vpc1).not.toContain('vpc2 begins');
    expect(phaseExcerpt(index, 'vpc2')).toBe(
      `${T}.004Z NOTE phase vpc2 begins\n${T}.004Z #3 ns=- label=step:createVpc\n  $ vpcctl create-vpc --name vpc2\n` +
        '  exit=1 signal=- timedOut=false duration=2ms\n  stderr| boom\n',
    );
    expect(phaseExcerpt(index, 'peering')).toBe('');
  });

  it('finds the commands of a criterion by pasteable command or by label, within the probe phase', () => {
    const index = indexTranscript(OVERLAPPING);
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
    // Without a note for the probe's phase, the whole transcript is searched.
    const unmarked = criterionWith([{ id: 'x', phase: 'policy', command: 'vpcctl create-vpc --name vpc2' }]);
    expect(criterionCommands(index, unmarked).map((c) => c.id)).toEqual([3]);
  });

  it('caps an excerpt and each stream, and says what was cut', () => {
    const { summary, transcript } = failingRun();
    const index = indexTranscript(transcript);
    const full = phaseExcerpt(index, 'vpc2', { maxChars: 1_000_000 });
    const capped = phaseExcerpt(index, 'vpc2', { maxChars: 2_000 });
    expect(full.length).toBeGreaterThan(2_000);
    expect(capped.length).toBeLessThanOrEqual(2_000 + 120);
    expect(capped).toMatch(
      /… \[excerpt capped at 2000 characters: \d+ more record\(s\) of phase vpc2 cut; see transcript\.log\]\n$/,
    );
    expect(full.startsWith(capped.slice(0, 1_500))).toBe(true);

    const longOutput = OVERLAPPING.replace('  stderr| boom', `  stderr| ${'x'.repeat(5_000)}`);
    const streamCapped = phaseExcerpt(indexTranscript(longOutput), 'vpc2', { maxStreamChars: 100 });
    expect(streamCapped).toContain(`stderr| ${'x'.repeat(100)}\n  stderr| … [4901 more characters cut]`);

    const nat = summary.criteria.find((c) => c.id === 'nat-public-egress') as CriterionResult;
    const own = criterionExcerpt(index, nat);
    // 10 tries of each of the two probes, nothing else.
    expect(own.match(/^\S+Z #\d+ /gm)).toHaveLength(20);
  });

  it('keeps commands apart that share an id (the sandbox PID 1 and the harness both number from 1)', () => {
    const twice = [
      TRANSCRIPT_HEADER,
      `${T}.000Z #1 START ns=- label=sandbox`,
      '  $ ip link set lo up',
      '  argv ["ip","link","set","lo","up"]',
      `${T}.001Z #1 END exit=0 signal=- timedOut=false duration=1ms`,
      `${T}.002Z NOTE phase vpc1 begins`,
      `${T}.003Z #1 START ns=- label=step:createVpc`,
      '  $ vpcctl create-vpc --name vpc1',
      '  argv ["vpcctl","create-vpc","--name","vpc1"]',
      `${T}.004Z #1 END exit=3 signal=- timedOut=false duration=1ms`,
      '',
    ].join('\n');
    const index = indexTranscript(twice);
    expect(
      index.entries.map((e) => [e.kind, e.command?.escapedCommand, e.command?.exitCode, e.phase]),
    ).toEqual([
      ['command', 'ip link set lo up', 0, undefined],
      ['note', undefined, undefined, 'vpc1'],
      ['command', 'vpcctl create-vpc --name vpc1', 3, 'vpc1'],
    ]);
    const byLabel = criterionWith([{ id: 'createVpc', phase: 'vpc1', command: 'x' }]);
    expect(criterionCommands(index, byLabel).map((c) => c.escapedCommand)).toEqual([
      'vpcctl create-vpc --name vpc1',
    ]);
  });

  it('reads a transcript cut in the middle of a record (a crashed run)', () => {
    const cut = OVERLAPPING.replace(
      '  argv ["vpcctl","create-vpc","--name","vpc2"]',
      '  argv ["vpcctl","crea',
    );
    expect(() => parseTranscriptSafe(cut)).not.toThrow();
    const index = indexTranscript(cut);
    expect(index.commands.map((c) => c.id)).toEqual([1, 2, 3]);
    const truncated = indexTranscript(OVERLAPPING.slice(0, OVERLAPPING.indexOf('#2 END')));
    expect(phaseExcerpt(truncated, 'vpc1')).toContain(
      '(no END record: the command never finished or the transcript was cut)',
    );
  });
});
