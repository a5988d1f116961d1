export { evidenceFromEvents } from './evidence.js';
export { FORMATTERS, formatEvent } from './format.js';
export { EVENTS_FILE, jsonlSink, parseEvents, type ReadEvents, readEvents } from './jsonl.js';
export { defaultEvents, EventStream, type Sink } from './stream.js';
export { renderTranscript, TRANSCRIPT_HEADER, transcriptSink } from './transcript.js';
export type * from './types.js';
