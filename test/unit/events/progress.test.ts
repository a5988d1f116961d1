import { describe, expect, it } from 'vitest';
import { progressSink } from '../../../src/events/progress.js';
import { EventStream } from '../../../src/events/stream.js';
import type { RecordEvent } from '../../../src/events/types.js';
import { plainProgress } from '../../../src/verify/live-view.js';

const at = '2026-11-24T15:00:00.000Z';

describe('progress lines from events', () => {
  it('starts a phase row at a phase begin and shows stages and steps as its activity, probes and commands silent', () => {
    const lines: string[] = [];
    const events = new EventStream();
    events.add(progressSink((line) => lines.push(line)));
    const sequence: RecordEvent[] = [
      { kind: 'phase', at, phase: 'vpc1', state: 'begin' },
      { kind: 'stage', at, phase: 'vpc1', stage: 'vpc1', title: 'vpc1 with NAT and the app' },
      {
        kind: 'start',
        id: 1,
        at,
        argv: ['x'],
        netns: undefined,
        escapedCommand: 'x',
        label: 'step:createVpc',
      },
      {
        kind: 'step',
        at,
        phase: 'vpc1',
        stage: 'vpc1',
        title: 'create vpc1',
        result: { step: 'createVpc', phase: 'vpc1', status: 'ran', commands: [], durationMs: 5 },
      },
      {
        kind: 'step',
        at,
        phase: 'vpc1',
        stage: 'vpc1',
        title: 'enable NAT',
        result: { step: 'enableNat', phase: 'vpc1', status: 'timeout', commands: [], durationMs: 5 },
      },
      { kind: 'phase', at, phase: 'vpc1', state: 'end', durationMs: 9 },
      { kind: 'finding', at, finding: { id: 'settle-stall', severity: 'warning', message: 'slow' } },
    ];
    for (const event of sequence) events.emit(event);
    expect(lines).toEqual([
      'phase vpc1',
      '  vpc1 with NAT and the app',
      '  create vpc1',
      '  enable NAT (timeout)',
      '  warning: settle-stall',
    ]);
    // The plain view (CI, --json) prints them as they are.
    const written: string[] = [];
    const plain = plainProgress((text) => written.push(text));
    for (const line of lines) plain.line(line);
    expect(written.join('')).toBe(`${lines.join('\n')}\n`);
  });
});
