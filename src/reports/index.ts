import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../model/summary.js';
import { writeHtml } from './html.js';
import { writeJUnit } from './junit.js';
import { writeSummary } from './summary.js';

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
export { criterionExcerpt, indexTranscript, phaseExcerpt } from './transcript-excerpt.js';

export const TRANSCRIPT_FILE = 'transcript.log';

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
  write(dir: string, summary: Summary, transcriptText: string): string | Promise<string>;
}

export interface ReportsResult {
  written: ReportAttachment[];
  errors: { writer: string; error: Error }[];
}

/** The runner's transcript sink normally wrote transcript.log already; it is the record, never overwritten. */
function writeTranscript(dir: string, _summary: Summary, transcriptText: string): string {
  const path = join(dir, TRANSCRIPT_FILE);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, transcriptText);
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
  transcriptText: string,
  writers: readonly ReportWriter[] = REPORT_WRITERS,
): Promise<ReportsResult> {
  const result: ReportsResult = { written: [], errors: [] };
  for (const writer of writers) {
    try {
      const path = await writer.write(dir, summary, transcriptText);
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
