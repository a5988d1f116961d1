// The stream lives with the record it carries (src/events); commands only emit into it.
export { defaultEvents, EventStream, type Sink } from '../events/stream.js';
