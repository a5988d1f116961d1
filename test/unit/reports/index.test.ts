import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_WRITERS, type ReportWriter, writeReports } from '../../../src/reports/index.js';
import { isVpcError } from '../../../src/util/errors.js';
import { clone, failingRun, passingRun } from './fixtures.js';

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'reports-')), 'run');
}

describe('writeReports', () => {
  it('writes summary.json, junit.xml, report.html and transcript.log and lists them as attachments', async () => {
    const dir = freshDir();
    const { summary, record } = passingRun();
    const result = await writeReports(dir, summary, record);
    expect(result.errors).toEqual([]);
    expect(result.written).toEqual([
      { name: 'summary', contentType: 'application/json', path: join(dir, 'summary.json') },
      { name: 'junit', contentType: 'application/xml', path: join(dir, 'junit.xml') },
      { name: 'html', contentType: 'text/html', path: join(dir, 'report.html') },
      { name: 'transcript', contentType: 'text/plain', path: join(dir, 'transcript.log') },
    ]);
    for (const { path } of result.written) expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'transcript.log'), 'utf8')).toBe(record.transcript);
  });

  it('keeps going when one writer throws, and reports which one', async () => {
    const dir = freshDir();
    const { summary, record } = failingRun();
    const broken: ReportWriter = {
      name: 'broken',
      contentType: 'text/plain',
      write: () => {
        throw new Error('disk full');
      },
    };
    const rejecting: ReportWriter = {
      name: 'rejecting',
      contentType: 'text/plain',
      write: () => Promise.reject('not an Error'),
    };
    const writers = [
      REPORT_WRITERS[0],
      broken,
      REPORT_WRITERS[1],
      rejecting,
      REPORT_WRITERS[2],
    ] as ReportWriter[];
    const result = await writeReports(dir, summary, record, writers);
    expect(result.written.map((w) => w.name)).toEqual(['summary', 'junit', 'html']);
    expect(result.errors.map((e) => [e.writer, e.error.message])).toEqual([
      ['broken', 'disk full'],
      ['rejecting', 'not an Error'],
    ]);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
  });

  it('still writes JUnit and HTML when the summary is invalid, and says why summary.json is missing', async () => {
    const dir = freshDir();
    const { summary, record } = failingRun();
    const invalid = clone(summary);
    invalid.verdict = 'pass';
    const result = await writeReports(dir, invalid, record);
    expect(result.written.map((w) => w.name)).toEqual(['junit', 'html', 'transcript']);
    expect(result.errors).toHaveLength(1);
    const [failure] = result.errors;
    expect(failure?.writer).toBe('summary');
    expect(isVpcError(failure?.error) && failure.error.code).toBe('E_SCHEMA');
    expect(failure?.error.message).toContain('/verdict: must be "fail"');
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
  });

  it('never overwrites the transcript.log the run wrote', async () => {
    const dir = freshDir();
    const { summary, record } = passingRun();
    await writeReports(dir, summary, record);
    writeFileSync(join(dir, 'transcript.log'), 'the live transcript\n');
    await writeReports(dir, summary, { ...record, transcript: `${record.transcript}extra\n` });
    expect(readFileSync(join(dir, 'transcript.log'), 'utf8')).toBe('the live transcript\n');
  });

  it('produces byte-identical files on two runs of the same input', async () => {
    const { summary, record } = failingRun();
    const first = await writeReports(freshDir(), summary, record);
    const second = await writeReports(freshDir(), clone(summary), record);
    expect(first.errors).toEqual([]);
    for (const [index, written] of first.written.entries()) {
      const other = second.written[index];
      expect(other?.name).toBe(written.name);
      expect(readFileSync(other?.path ?? '', 'utf8')).toBe(readFileSync(written.path, 'utf8'));
    }
  });
});

describe('writeReports on a run that broke before its first phase', () => {
  it('still writes every report', async () => {
    const dir = freshDir();
    const summary = clone(passingRun().summary);
    summary.criteria = [];
    summary.phases = [];
    summary.findings = [];
    summary.verdict = 'fail';
    delete summary.topology;
    const result = await writeReports(dir, summary, { events: [], transcript: '' });
    expect(result.errors).toEqual([]);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain(
      '<testsuites name="vpc-acceptance" tests="0" failures="0" errors="0" skipped="0"/>',
    );
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('0 of 11 Stage 4 criteria passed');
  });
});
