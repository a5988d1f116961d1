import type { RecordEvent } from './types.js';

export type Sink = (event: RecordEvent) => void;

/**
 * A typed stream of the run's events with replaceable sinks (as zx's log).
 * A sink that throws is dropped and reported once: one broken sink must not
 * silence the others or fail the command that emitted the event.
 */
export class EventStream {
  #sinks = new Set<Sink>();
  #nextId = 1;

  add(sink: Sink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  nextId(): number {
    return this.#nextId++;
  }

  emit(event: RecordEvent): void {
    for (const sink of this.#sinks) {
      try {
        sink(event);
      } catch (error) {
        this.#sinks.delete(sink);
        process.stderr.write(`warning: an event sink failed and was removed: ${String(error)}\n`);
      }
    }
  }

  note(text: string): void {
    this.emit({ kind: 'note', at: new Date().toISOString(), text });
  }
}

/** The process-wide stream that `run()` uses unless given another. */
export const defaultEvents = new EventStream();
