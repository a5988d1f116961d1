import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import { validateSummary } from '../../../src/reports/summary.js';
import { isRoot } from '../../helpers/root.js';
import { type CliRun, FIXTURES, readReport, statuses, verifyCli } from '../../helpers/verify-cli.js';

describe.skipIf(!isRoot)('vpc-verify on the reference vpcctl', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await verifyCli([]);
  }, 300_000);

  it('passes every Stage 4 criterion and exits 0', () => {
    const failing = run.summary.criteria
      .filter((c) => c.status !== 'passed')
      .map((c) => `${c.id}: ${c.status}: ${c.message}`);
    expect(failing, run.stderr).toEqual([]);
    expect(run.summary.verdict).toBe('pass');
    expect(run.exitCode).toBe(0);
    for (const id of STAGE4_CRITERIA) expect(statuses(run.summary)[id], id).toBe('passed');
  });

  it('writes every report: junit.xml with a testcase per criterion, a valid summary.json, the transcript and report.html', () => {
    for (const name of ['junit.xml', 'summary.json', 'transcript.log', 'report.html']) {
      expect(existsSync(join(run.reportsDir, name)), name).toBe(true);
    }
    const validation = validateSummary(JSON.parse(readReport(run, 'summary.json')));
    expect(validation.ok ? [] : validation.errors).toEqual([]);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readReport(run, 'junit.xml'));
    type Case = { '@_name': string };
    const suites = [junit.testsuites.testsuite].flat() as { testcase: Case | Case[] }[];
    const names = suites.flatMap((s) => [s.testcase].flat()).map((t) => t['@_name']);
    expect(names.filter((n) => (STAGE4_CRITERIA as readonly string[]).includes(n)).sort()).toEqual(
      [...STAGE4_CRITERIA].sort(),
    );
    expect(names.length).toBe(STAGE4_CRITERIA.length + ADVISORY_CRITERIA.length);
    expect(readReport(run, 'transcript.log')).toMatch(/NOTE phase vpc1 begins/);
  });
});

describe.skipIf(!isRoot)('vpc-verify through a second, positional profile', () => {
  it('drives the same lab to the same verdicts as the seed profile', async () => {
    const [seed, positional] = await Promise.all([
      verifyCli([]),
      verifyCli([join(FIXTURES, 'positional'), '--profile', join(FIXTURES, 'positional', 'profile.json')]),
    ]);
    expect(statuses(positional.summary)).toEqual(statuses(seed.summary));
    expect(positional.summary.verdict).toBe('pass');
  }, 300_000);
});
