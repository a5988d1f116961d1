export { CommandError, failureReason } from './error.js';
export { escapeCommand, inNetns, quoteArg } from './escape.js';
export { defaultEvents, EventStream, type Sink } from './events.js';
export { type CommandOutcome, makeResult } from './result.js';
export { type RunOptions, run, runOrThrow } from './run.js';
export { formatEvent, parseTranscript, TRANSCRIPT_HEADER, transcriptSink } from './transcript.js';
export type * from './types.js';
