import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sink } from './stream.js';
import type { RecordEvent } from './types.js';

export const EVENTS_FILE = 'events.jsonl';

/**
 * A sink that appends each event to `path` as one JSON line, the moment it is
 * emitted: one write(2) per event, so once emit() returns the line is the
 * kernel's and a SIGKILLed harness loses none of it (fsync would only guard
 * against a power cut, at a disk flush per event). Live output chunks are not
 * kept: a command's output is in its end event, capped.
 */
export function jsonlSink(path: string): Sink & { close(): void } {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | undefined = openSync(path, 'a');
  const sink = (event: RecordEvent): void => {
    if (fd === undefined || event.kind === 'output') return;
    writeSync(fd, `${JSON.stringify(event)}\n`);
  };
  sink.close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return sink;
}

export interface ReadEvents {
  events: RecordEvent[];
  /** The last line was cut (the writer was killed mid-write): it is left out. */
  truncated: boolean;
  /** Lines that are not events (1-based line numbers), left out. */
  badLines: number[];
}

/** Parse events.jsonl text. A partial last line is expected after a kill; other bad lines are counted, not fatal. */
export function parseEvents(text: string): ReadEvents {
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text === '';
  const out: ReadEvents = { events: [], truncated: false, badLines: [] };
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const last = index === lines.length - 1 && !complete;
    try {
      const event = JSON.parse(line) as RecordEvent;
      if (typeof event !== 'object' || event === null || typeof event.kind !== 'string')
        throw new Error('no kind');
      out.events.push(event);
    } catch {
      if (last) out.truncated = true;
      else out.badLines.push(index + 1);
    }
  }
  return out;
}

/** Read a run's events.jsonl; a missing file is an empty record. */
export function readEvents(path: string): ReadEvents {
  if (!existsSync(path)) return { events: [], truncated: false, badLines: [] };
  return parseEvents(readFileSync(path, 'utf8'));
}
