import { formatDuration } from '../reports/order.js';
import { oneLine, truncate } from '../reports/text.js';
import type { BatchEvent } from './runner.js';

/** One line of progress for a terminal or a CI log (stderr), for each batch event. */
export function formatBatchEvent(event: BatchEvent): string {
  switch (event.type) {
    case 'started':
      return `batch: ${event.submission}: started (${event.position + 1} of ${event.total}, ${event.inFlight} running)`;
    case 'timeout':
      return `batch: ${event.submission}: no result after ${formatDuration(event.afterMs)}, aborting it`;
    case 'finished': {
      const { row } = event;
      const head = `batch: ${event.submission}: ${row.verdict.toUpperCase()} ${row.score}/${row.maxScore} in ${formatDuration(row.durationMs)}`;
      const why = row.error === null ? '' : ` (${truncate(oneLine(row.error), 200)})`;
      return `${head}${why} [${event.done}/${event.total} done]`;
    }
  }
}
