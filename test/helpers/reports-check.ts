import { statSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import { ALL_CRITERIA } from '../../src/criteria/ids.js';
import { formatTerminalSummary, validateSummary } from '../../src/reports/index.js';
import { type CliRun, readReport } from './verify-cli.js';

// Characters no XML 1.0 document may hold (fast-xml-parser does not check them).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;
// What must never reach a reader's terminal from a target: C0 (but newline), DEL, C1.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

export interface JUnitProperty {
  name: string;
  value: string;
}
export interface JUnitCase {
  name: string;
  properties?: { property: JUnitProperty[] };
  failure?: { message?: string };
  error?: { message?: string };
  'system-out'?: string;
}
export interface JUnitSuite {
  name: string;
  properties?: { property: JUnitProperty[] };
  testcase?: JUnitCase[];
}

/** junit.xml read with a real XML parser, after checking it is well-formed and holds only XML characters. */
export function parseJUnit(run: CliRun): JUnitSuite[] {
  const xml = readReport(run, 'junit.xml');
  expect(XMLValidator.validate(xml), 'junit.xml is well-formed').toBe(true);
  expect(XML_INVALID.exec(xml)?.[0], 'junit.xml holds an XML-invalid character').toBeUndefined();
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return (parser.parse(xml) as { testsuites: { testsuite: JUnitSuite[] } }).testsuites.testsuite;
}

export function terminalText(run: CliRun): string {
  return formatTerminalSummary({ ...run.summary, reportsDir: run.reportsDir }, { color: false });
}

/**
 * Every report of a run is valid and safe whatever the target printed:
 * summary.json matches its schema, junit.xml parses with one testcase per
 * criterion, report.html holds no markup from the target, the terminal
 * summary no control characters, and no report balloons.
 */
export function expectValidReports(run: CliRun): void {
  const validation = validateSummary(run.summary);
  expect(validation.ok ? [] : validation.errors).toEqual([]);
  expect(JSON.parse(readReport(run, 'summary.json')), 'summary.json as printed').toEqual(run.summary);
  const names = parseJUnit(run)
    .flatMap((s) => s.testcase ?? [])
    .map((t) => t.name)
    .sort();
  expect(names).toEqual([...ALL_CRITERIA].sort());
  const html = readReport(run, 'report.html');
  expect(html).not.toMatch(/<script|<img/i);
  expect(XML_INVALID.exec(html)?.[0], 'report.html holds a control character').toBeUndefined();
  expect(TERMINAL_CONTROL.exec(terminalText(run))?.[0], 'terminal summary').toBeUndefined();
  const size = (name: string) => statSync(join(run.reportsDir, name)).size;
  expect(size('transcript.log')).toBeLessThan(16 * 1024 * 1024);
  expect(size('junit.xml')).toBeLessThan(4 * 1024 * 1024);
  expect(size('report.html')).toBeLessThan(8 * 1024 * 1024);
  expect(size('summary.json')).toBeLessThan(4 * 1024 * 1024);
}

/** A finding is a warning in summary.json, in JUnit (suite property and system-out), in the terminal summary and in report.html. */
export function expectFindingEverywhere(run: CliRun, id: string, phase?: string): void {
  const finding = run.summary.findings.find((f) => f.id === id && (phase === undefined || f.phase === phase));
  expect(finding, `${id} in summary.json findings`).toBeDefined();
  expect(finding?.severity).toBe('warning');
  const suites = parseJUnit(run);
  const first = suites[0]?.properties?.property.find((p) => p.name === 'findings')?.value ?? '';
  expect(first).toContain(id);
  const tag = `warning[${id}]`;
  const suiteProps = suites.flatMap((s) => s.properties?.property ?? []).filter((p) => p.name === 'finding');
  expect(
    suiteProps.some((p) => p.value.startsWith(tag)),
    `${id} as a JUnit suite property`,
  ).toBe(true);
  if (phase) {
    const outs = suites
      .filter((s) => s.name === phase)
      .flatMap((s) => s.testcase ?? [])
      .map((t) => t['system-out'] ?? '');
    expect(outs.length).toBeGreaterThan(0);
    for (const out of outs) expect(out).toContain(tag);
  }
  expect(terminalText(run)).toContain(tag);
  expect(readReport(run, 'report.html')).toContain(
    `<div class="finding warning"><strong>warning</strong> <code>${id}</code>`,
  );
}
