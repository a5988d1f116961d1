import type { Sink } from './stream.js';
import type { RecordEvent } from './types.js';

/**
 * The progress line of an event, or undefined when it makes none. A phase
 * line starts a row of the live view (src/verify/live-view.ts); an indented
 * line is what the running phase is doing. Probes make no line each: a stage
 * says how many it runs when it begins.
 */
export function progressLine(event: RecordEvent): string | undefined {
  switch (event.kind) {
    case 'phase':
      return event.state === 'begin' ? `phase ${event.phase}` : undefined;
    case 'stage':
      return `  ${event.title}`;
    case 'step':
      return `  ${event.title}${event.result.status === 'ran' ? '' : ` (${event.result.status})`}`;
    case 'finding':
      return event.finding.severity === 'warning' ? `  warning: ${event.finding.id}` : undefined;
    default:
      return undefined;
  }
}

/** A sink writing each event's progress line. */
export function progressSink(write: (line: string) => void): Sink {
  return (event) => {
    const line = progressLine(event);
    if (line !== undefined) write(line);
  };
}
