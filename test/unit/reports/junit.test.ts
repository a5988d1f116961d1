import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CriterionResult } from '../../../src/model/summary.js';
import { buildJUnit, failureBody, writeJUnit } from '../../../src/reports/junit.js';
import { xmlSafe } from '../../../src/reports/text.js';
import { clone, failingRun, HOSTILE, passingRun } from './fixtures.js';

interface Property {
  name: string;
  value: string;
}
interface Outcome {
  message?: string;
  type?: string;
  '#text'?: string;
}
interface ParsedCase {
  name: string;
  classname: string;
  time?: string;
  properties: { property: Property[] };
  failure?: Outcome;
  error?: Outcome;
  skipped?: string;
  'system-out'?: string;
}
interface ParsedSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  timestamp: string;
  testcase?: ParsedCase[];
}

// Characters no XML 1.0 parser accepts (fast-xml-parser does not check them, so the test does).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

function parse(xml: string): ParsedSuite[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(XML_INVALID.test(xml)).toBe(false);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  const doc = parser.parse(xml) as { testsuites: { testsuite: ParsedSuite[] } };
  return doc.testsuites.testsuite;
}

function cases(suites: ParsedSuite[]): ParsedCase[] {
  return suites.flatMap((suite) => suite.testcase ?? []);
}

function byName(suites: ParsedSuite[], name: string): ParsedCase {
  const found = cases(suites).find((c) => c.name === name);
  if (!found) throw new Error(`no testcase ${name}`);
  return found;
}

function property(testCase: ParsedCase, name: string): string | undefined {
  return testCase.properties.property.find((p) => p.name === name)?.value;
}

/**
 * The snapshot shows structure and text, not the clock (timestamps and
 * durations come from the fixture anyway) nor the phase transcript repeated
 * in every testcase (the tests above check it).
 */
function normalise(xml: string): string {
  return xml
    .replace(
      /(--- transcript of phase \S+ ---\n)([\s\S]*?)(\]\]><\/system-out>)/g,
      (_all, head: string, body: string, end: string) => {
        return `${head}[${body.split('\n').length - 1} line(s)]\n${end}`;
      },
    )
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<ts>')
    .replace(/ time="[\d.]+"/g, ' time="<s>"')
    .replace(/duration=\d+ms/g, 'duration=<ms>');
}

describe('junit.xml', () => {
  it('has one testsuite per phase, in run order, and one testcase per criterion with the exact id', () => {
    for (const { summary, record } of [passingRun(), failingRun()]) {
      const suites = parse(buildJUnit(summary, record));
      expect(suites.map((s) => s.name)).toEqual([
        'bad-input',
        'vpc1',
        'vpc2',
        'peering',
        'policy',
        'inspect',
        'teardown',
      ]);
      const names = cases(suites).map((c) => c.name);
      expect([...names].sort()).toEqual(summary.criteria.map((c) => c.id).sort());
      expect(new Set(names).size).toBe(names.length);
      for (const suite of suites) {
        for (const testCase of suite.testcase ?? []) {
          const criterion = summary.criteria.find((c) => c.id === testCase.name) as CriterionResult;
          expect(criterion.phase).toBe(suite.name);
          expect(testCase.classname).toBe(`vpc-acceptance.${suite.name}`);
          expect(property(testCase, 'status')).toBe(criterion.status);
          expect(property(testCase, 'advisory')).toBe(String(criterion.advisory));
        }
      }
    }
  });

  it('maps failed, error and not-run to failure, error and skipped, with counts on every suite', () => {
    const { summary, record } = failingRun();
    const suites = parse(buildJUnit(summary, record));
    const nat = byName(suites, 'nat-public-egress');
    expect(nat.failure?.message).toBe(
      'vpc1 public could not reach 198.51.100.10 (icmp timeout after 10 tries; http timeout after 10 tries)',
    );
    expect(nat.error).toBeUndefined();
    const source = byName(suites, 'source-preserved');
    expect(source.error?.message).toMatch(/^\[advisory\] the tcp listener in vpc2 public broke/);
    expect(source.failure).toBeUndefined();
    const policy = byName(suites, 'policy-denied');
    expect(policy.skipped).toBeDefined();
    expect(property(policy, 'reason')).toBe('the profile does not support applyPolicy (step is null)');
    expect(byName(suites, 'vpc-created').failure).toBeUndefined();
    expect(byName(suites, 'vpc-created').skipped).toBeUndefined();

    const peering = suites.find((s) => s.name === 'peering') as ParsedSuite;
    expect([peering.tests, peering.failures, peering.errors, peering.skipped]).toEqual(['3', '1', '1', '0']);
    const policySuite = suites.find((s) => s.name === 'policy') as ParsedSuite;
    expect([policySuite.tests, policySuite.skipped]).toEqual(['2', '2']);
  });

  it('names the failing probe in the failure: command, expected, actual and tries', () => {
    const { summary, record } = failingRun();
    const leak = summary.criteria
      .find((c) => c.id === 'peering-private-blocked')
      ?.probes.find((p) => p.outcome === 'connected');
    expect(leak?.command).toBe('ip netns exec vpc1-privatesub ping -c 1 -W 1 10.1.2.2');
    const body =
      byName(parse(buildJUnit(summary, record)), 'peering-private-blocked').failure?.['#text'] ?? '';
    expect(body).toContain('Failing probes (1 of 6):');
    expect(body).toContain(`command:  ${leak?.command}`);
    expect(body).toContain('expected: blocked');
    expect(body).toContain('actual:   allowed (outcome connected) after 1 try');
    // Probes that behaved are not listed.
    expect(body).not.toContain('10.0.1.2 ->');
  });

  it('puts the transcript of the phase, and the commands of the criterion, in system-out', () => {
    const { summary, record } = failingRun();
    const suites = parse(buildJUnit(summary, record));
    const out = byName(suites, 'peering-private-blocked')['system-out'] ?? '';
    expect(out).toContain('NOTE phase peering begins');
    expect(out).toContain('$ /opt/target/vpcctl peer --vpc1 vpc1 --vpc2 vpc2');
    expect(out).toContain('label=probe:peering:icmp:vpc1/privatesub->vpc2/privatesub');
    // Nothing from another phase.
    expect(out).not.toContain('phase vpc2 begins');
    expect(out).not.toContain('create-vpc --name vpc2');
    // A target printing a fake NOTE line does not move the phase boundary.
    const vpc1Out = byName(suites, 'nat-public-egress')['system-out'] ?? '';
    expect(vpc1Out).toContain('stderr| 2026-11-24T15:00:00.000Z NOTE phase teardown begins');
    expect(vpc1Out).toContain('label=probe:vpc1:http:vpc1/publicsub->internet:80');
  });

  it('carries the findings as warnings: a count on the first suite, each on its phase suite, and in system-out', () => {
    const { summary, record } = failingRun();
    summary.findings.push({ id: 'deadline-hit', severity: 'warning', message: 'no phase <b>here</b>' });
    const suites = parse(buildJUnit(summary, record));
    const suiteProps = (name: string, prop: string) =>
      (
        (suites.find((s) => s.name === name) as unknown as { properties: { property: Property[] } })
          ?.properties.property ?? []
      )
        .filter((p) => p.name === prop)
        .map((p) => p.value);
    expect(suiteProps('bad-input', 'findings')).toEqual([
      '3 warning(s), 1 info: unnatted-wan-leak, settle-stall, leftover-process, deadline-hit',
    ]);
    expect(suiteProps('bad-input', 'finding')).toEqual(['warning[deadline-hit]: no phase <b>here</b>']);
    expect(suiteProps('peering', 'finding')).toEqual([
      'warning[settle-stall] (peering): traffic stalled 31.2 s after peering (the bridge changed its MAC; namespaces kept the old gateway MAC)',
    ]);
    expect(suiteProps('vpc1', 'finding')[0]).toMatch(/^warning\[unnatted-wan-leak\] \(vpc1\): 3 packets/);
    expect(suiteProps('vpc2', 'finding')).toEqual([]);
    const out = byName(suites, 'peering-public')['system-out'] ?? '';
    expect(out).toContain(
      '--- findings of phase peering (warnings, not criteria) ---\nwarning[settle-stall] (peering): traffic stalled 31.2 s',
    );
    expect(byName(suites, 'isolation-default')['system-out']).not.toContain('findings of phase');
  });

  it('escapes hostile target strings so the file parses and the text survives', () => {
    const { summary, record } = failingRun();
    const xml = buildJUnit(summary, record);
    const suites = parse(xml);
    const safe = xmlSafe(HOSTILE);
    const app = byName(suites, 'app-deployed');
    expect(app.failure?.message).toContain(safe);
    expect(app.failure?.['#text']).toContain(safe);
    expect(app['system-out']).toContain(`stderr| ${safe}`);
    expect(byName(suites, 'source-preserved').error?.['#text']).toContain(safe);
    // The markup never becomes an element.
    expect(xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.toContain('<script');
    expect(JSON.stringify(suites)).not.toContain('"script"');
  });

  it('stays parseable with every `]]>` and control character in a message, stderr and probe detail', () => {
    const { summary, record } = failingRun();
    const nasty = ']]>]]]>]]>]]\u0000>x\u001b]]>';
    const broken = clone(summary);
    for (const criterion of broken.criteria) {
      criterion.message = `${criterion.message} ${nasty}`;
      for (const probe of criterion.probes) probe.detail = nasty;
    }
    const suites = parse(
      buildJUnit(broken, {
        ...record,
        events: [...record.events, { kind: 'note', at: '2026-11-24T16:59:59.000Z', text: nasty }],
      }),
    );
    // The body reads back exactly as written, but for characters XML cannot carry.
    const nat = broken.criteria.find((c) => c.id === 'nat-public-egress') as CriterionResult;
    expect(byName(suites, 'nat-public-egress').failure?.['#text']).toBe(xmlSafe(failureBody(nat)));
    expect(failureBody(nat)).toContain(nasty);
  });

  it('is byte-identical for the same input, whatever order the criteria came in', () => {
    const first = failingRun();
    const second = failingRun();
    second.summary.criteria.reverse();
    second.summary.findings.reverse();
    expect(buildJUnit(second.summary, second.record)).toBe(buildJUnit(first.summary, first.record));
  });

  it('writes junit.xml into the directory and matches the snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    const { summary, record } = failingRun();
    const path = writeJUnit(dir, summary, record);
    expect(path).toBe(join(dir, 'junit.xml'));
    const xml = readFileSync(path, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vpc-acceptance"')).toBe(
      true,
    );
    await expect(normalise(xml)).toMatchFileSnapshot('__snapshots__/junit-failing.xml');
  });
});
