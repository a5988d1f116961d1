import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EventStream,
  parseTranscript,
  run,
  TRANSCRIPT_HEADER,
  transcriptSink,
} from '../../../src/exec/index.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('transcript', () => {
  it('records every command with timestamps, namespace, argv, exit code, duration and output', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'transcript-')), 'transcript.log');
    const events = new EventStream();
    events.add(transcriptSink(path));
    events.note('phase 1 begins');
    await run(['sh', '-c', 'echo one; echo two; echo bad >&2; exit 4'], { events, label: 'step:createVpc' });
    await run(['printf', "it's"], { events });

    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe(TRANSCRIPT_HEADER);
    expect(lines[1]).toMatch(/^\S+Z NOTE phase 1 begins$/);
    expect(lines[2]).toMatch(/^\S+Z #\d+ START ns=- label=step:createVpc$/);
    expect(lines[3]).toBe("  $ sh -c 'echo one; echo two; echo bad >&2; exit 4'");
    expect(lines[4]).toBe('  argv ["sh","-c","echo one; echo two; echo bad >&2; exit 4"]');
    expect(lines[5]).toMatch(/^\S+Z #\d+ END exit=4 signal=- timedOut=false duration=\d+ms$/);
    expect(lines.slice(6, 9)).toEqual(['  stdout| one', '  stdout| two', '  stderr| bad']);

    const parsed = parseTranscript(text);
    expect(parsed.notes).toEqual([{ at: expect.stringMatching(ISO), text: 'phase 1 begins' }]);
    expect(parsed.commands).toHaveLength(2);
    const [first, second] = parsed.commands;
    expect(first).toMatchObject({
      label: 'step:createVpc',
      netns: undefined,
      argv: ['sh', '-c', 'echo one; echo two; echo bad >&2; exit 4'],
      exitCode: 4,
      timedOut: false,
      stdout: 'one\ntwo\n',
      stderr: 'bad\n',
    });
    expect(first?.startedAt).toMatch(ISO);
    expect(first?.durationMs).toBeGreaterThanOrEqual(0);
    expect(second).toMatchObject({ escapedCommand: `printf 'it'\\''s'`, exitCode: 0, stdout: "it's\n" });
  });
});
