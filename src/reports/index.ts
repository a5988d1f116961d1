import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_FILE, readEvents } from '../events/jsonl.js';
import type { Summary } from '../model/summary.js';
import { writeHtml } from './html.js';
import { writeJUnit } from './junit.js';
import { writeSummary } from './summary.js';
import type { RunRecord } from './transcript-excerpt.js';

export { buildHtml, HTML_FILE, writeHtml } from './html.js';
export { buildJUnit, JUNIT_FILE, writeJUnit } from './junit.js';
export {
  SUMMARY_FILE,
  type SummaryValidation,
  summarySchema,
  validateSummary,
  writeSummary,
} from './summary.js';
export { formatTerminalSummary, type TerminalOptions } from './terminal.js';
export { criterionExcerpt, indexEvents, phaseExcerpt, type RunRecord } from './transcript-excerpt.js';

export const TRANSCRIPT_FILE = 'transcript.log';

/** A run folder's record: events.jsonl (what the reports cut up) and transcript.log (embedded whole). */
export function readRunRecord(dir: string): RunRecord {
  const transcriptPath = join(dir, TRANSCRIPT_FILE);
  return {
    events: readEvents(join(dir, EVENTS_FILE)).events,
    transcript: existsSync(transcriptPath) ? readFileSync(transcriptPath, 'utf8') : '',
  };
}

/** One file a run produced, described as Playwright describes test attachments. */
export interface ReportAttachment {
  name: string;
  contentType: string;
  path: string;
}

export interface ReportWriter {
  name: string;
  contentType: string;
  /** Writes its file into `dir` and returns the path. */
  write(dir: string, summary: Summary, record: RunRecord): string | Promise<string>;
}

export interface ReportsResult {
  written: ReportAttachment[];
  errors: { writer: string; error: Error }[];
}

/** The runner's transcript sink normally wrote transcript.log already; it is the record, never overwritten. */
function writeTranscript(dir: string, _summary: Summary, record: RunRecord): string {
  const path = join(dir, TRANSCRIPT_FILE);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, record.transcript);
  return path;
}

export const REPORT_WRITERS: readonly ReportWriter[] = [
  { name: 'summary', contentType: 'application/json', write: writeSummary },
  { name: 'junit', contentType: 'application/xml', write: writeJUnit },
  { name: 'html', contentType: 'text/html', write: writeHtml },
  { name: 'transcript', contentType: 'text/plain', write: writeTranscript },
];

/**
 * Run every writer; one that throws (an invalid summary, a full disk, a bug)
 * does not stop the others, so a broken run still leaves every report that
 * could be written. Results and errors come back in writer order.
 */
export async function writeReports(
  dir: string,
  summary: Summary,
  record: RunRecord,
  writers: readonly ReportWriter[] = REPORT_WRITERS,
): Promise<ReportsResult> {
  const result: ReportsResult = { written: [], errors: [] };
  for (const writer of writers) {
    try {
      const path = await writer.write(dir, summary, record);
      result.written.push({ name: writer.name, contentType: writer.contentType, path });
    } catch (error) {
      result.errors.push({
        writer: writer.name,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }
  return result;
}
