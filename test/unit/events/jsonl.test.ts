import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonlSink, parseEvents, readEvents } from '../../../src/events/jsonl.js';
import { EventStream } from '../../../src/events/stream.js';
import { run } from '../../../src/exec/run.js';

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'events-')), 'events.jsonl');
}

describe('events.jsonl', () => {
  it('holds each event as one line as soon as it is emitted, before the sink is closed', async () => {
    const path = tempFile();
    const events = new EventStream();
    const sink = jsonlSink(path);
    events.add(sink);
    events.emit({ kind: 'phase', at: '2026-11-24T15:00:00.000Z', phase: 'vpc1', state: 'begin' });
    expect(readFileSync(path, 'utf8')).toBe(
      '{"kind":"phase","at":"2026-11-24T15:00:00.000Z","phase":"vpc1","state":"begin"}\n',
    );
    await run(['sh', '-c', 'echo out'], { events, label: 'step:createVpc' });
    sink.close();
    const { events: read, truncated, badLines } = readEvents(path);
    expect(read.map((e) => e.kind)).toEqual(['phase', 'start', 'end']);
    expect(read[2]).toMatchObject({ kind: 'end', result: { exitCode: 0, stdout: 'out\n' } });
    expect({ truncated, badLines }).toEqual({ truncated: false, badLines: [] });
  });

  it('reads a file cut mid-line (the writer was killed) without its partial last line', () => {
    const path = tempFile();
    const sink = jsonlSink(path);
    sink({ kind: 'note', at: '2026-11-24T15:00:00.000Z', text: 'one' });
    sink.close();
    appendFileSync(path, '{"kind":"probe","at":"2026-11-24T15:00:01.0');
    const read = readEvents(path);
    expect(read.events).toEqual([{ kind: 'note', at: '2026-11-24T15:00:00.000Z', text: 'one' }]);
    expect(read.truncated).toBe(true);
  });

  it('skips and names a damaged line in the middle, keeps the rest, and reads a missing file as empty', () => {
    const text =
      '{"kind":"note","at":"a","text":"1"}\nnot json\n{"no":"kind"}\n{"kind":"note","at":"b","text":"2"}\n';
    const read = parseEvents(text);
    expect(read.events.map((e) => (e.kind === 'note' ? e.text : ''))).toEqual(['1', '2']);
    expect(read.badLines).toEqual([2, 3]);
    expect(read.truncated).toBe(false);
    expect(readEvents(join(tmpdir(), 'no-such-dir-xyz', 'events.jsonl')).events).toEqual([]);
  });

  it('leaves out live output chunks: the end event carries the output', async () => {
    const path = tempFile();
    const events = new EventStream();
    events.add(jsonlSink(path));
    await run(['sh', '-c', 'echo a; echo b >&2'], { events });
    expect(readEvents(path).events.map((e) => e.kind)).toEqual(['start', 'end']);
  });
});
