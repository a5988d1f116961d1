import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatEvent } from './format.js';
import type { Sink } from './stream.js';
import type { RecordEvent } from './types.js';

export const TRANSCRIPT_HEADER = '# vpc-acceptance transcript v1';

/**
 * A sink that appends every event to a transcript file. A record is written
 * with one call, so concurrent commands never interleave inside a record.
 */
export function transcriptSink(path: string): Sink {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${TRANSCRIPT_HEADER}\n`, { flag: 'a' });
  return (event) => {
    const text = formatEvent(event);
    if (text) appendFileSync(path, text);
  };
}

/** The transcript text of a list of events (a report rebuilt after the run). */
export function renderTranscript(events: readonly RecordEvent[]): string {
  return `${TRANSCRIPT_HEADER}\n${events.map(formatEvent).join('')}`;
}
