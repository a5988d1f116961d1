import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import junitModule, { type Builder, type TestCase } from 'junit-report-builder';
import { verdictOf } from '../model/probe.js';
import type { CriterionResult, Finding, Summary } from '../model/summary.js';
import {
  describeProbe,
  isFailingProbe,
  type PhaseView,
  phaseViews,
  probeTimeMs,
  sortFindings,
  sortProbes,
} from './order.js';
import { cdataSafe, oneLine, xmlSafe } from './text.js';
import {
  criterionExcerpt,
  indexEvents,
  phaseExcerpt,
  type RunRecord,
  type TranscriptIndex,
} from './transcript-excerpt.js';

export const JUNIT_FILE = 'junit.xml';
export const JUNIT_SUITE_PREFIX = 'vpc-acceptance';

/** Caps on the transcript shown in each testcase's system-out. */
const CRITERION_EXCERPT_CHARS = 12_000;
const PHASE_EXCERPT_CHARS = 24_000;

// The package's types describe an ES default export; at run time (CommonJS) the default import is the builder.
const rootBuilder: Builder =
  (junitModule as unknown as { default?: Builder }).default ?? (junitModule as unknown as Builder);

function attr(text: string): string {
  return xmlSafe(oneLine(text));
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function reasonOf(criterion: CriterionResult): string {
  const reason = oneLine(criterion.message) || `${criterion.status} (no reason given)`;
  return criterion.advisory ? `[advisory] ${reason}` : reason;
}

/** The failing probes, each with the pasteable command and expected vs actual. */
export function failureBody(criterion: CriterionResult): string {
  const failing = sortProbes(criterion.probes.filter(isFailingProbe));
  const lines = [reasonOf(criterion), ''];
  if (failing.length === 0) {
    lines.push(
      criterion.probes.length === 0
        ? 'No probe belongs to this criterion: the reason comes from the steps or state checks of its phase (see system-out).'
        : `None of its ${criterion.probes.length} probe(s) contradicts its expectation: the reason comes from the steps or state checks of its phase (see system-out).`,
    );
    return lines.join('\n');
  }
  lines.push(`Failing probes (${failing.length} of ${criterion.probes.length}):`);
  for (const probe of failing) {
    const actual = verdictOf(probe.outcome);
    lines.push(`- ${describeProbe(probe)}${probe.control ? ' [positive control]' : ''}`);
    lines.push(`    command:  ${probe.command}`);
    if (probe.from.netns) lines.push(`    netns:    ${probe.from.netns}`);
    lines.push(`    expected: ${probe.expected}`);
    lines.push(
      `    actual:   ${actual} (outcome ${probe.outcome}) after ${probe.tries} ${probe.tries === 1 ? 'try' : 'tries'}, ${probe.durationMs} ms`,
    );
    if (probe.httpStatus !== undefined) lines.push(`    http:     ${probe.httpStatus}`);
    if (probe.seenSource !== undefined) lines.push(`    seen source: ${probe.seenSource}`);
    if (probe.detail) lines.push(`    detail:   ${oneLine(probe.detail)}`);
  }
  return lines.join('\n');
}

function findingLine(finding: Finding): string {
  return `${finding.severity}[${finding.id}]${finding.phase ? ` (${finding.phase})` : ''}: ${oneLine(finding.message)}`;
}

/**
 * Findings are warnings, not criteria: each suite carries its phase's as
 * `finding` properties (the first suite also those of no phase or of a phase
 * without a suite, and a `findings` count), and every testcase's system-out
 * lists its phase's, so CI readers see them next to the verdicts.
 */
function findingsByPhase(summary: Summary, phases: PhaseView[]): Map<string, Finding[]> {
  const byPhase = new Map<string, Finding[]>(phases.map((p) => [p.id, []]));
  const first = phases[0]?.id ?? '';
  for (const finding of sortFindings(summary.findings)) {
    const home = finding.phase && byPhase.has(finding.phase) ? finding.phase : first;
    byPhase.get(home)?.push(finding);
  }
  return byPhase;
}

function findingsCount(findings: readonly Finding[]): string {
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const ids = [...new Set(findings.map((f) => f.id))].join(', ');
  return `${warnings} warning(s), ${findings.length - warnings} info${ids ? `: ${ids}` : ''}`;
}

function systemOut(
  criterion: CriterionResult,
  phase: PhaseView,
  index: TranscriptIndex,
  phaseText: string,
  findings: readonly Finding[],
): string {
  const header = [
    `criterion: ${criterion.id}${criterion.advisory ? ' (advisory: does not change the Stage 4 verdict)' : ''}`,
    `status:    ${criterion.status}`,
    `reason:    ${oneLine(criterion.message)}`,
    `phase:     ${phase.id} (${phase.title})`,
  ].join('\n');
  const own = criterionExcerpt(index, criterion, { maxChars: CRITERION_EXCERPT_CHARS });
  const warnings =
    findings.length > 0
      ? ['', `--- findings of phase ${phase.id} (warnings, not criteria) ---`, ...findings.map(findingLine)]
      : [];
  return [
    header,
    ...warnings,
    '',
    `--- commands of this criterion's probes (${criterion.probes.length} probe(s)) ---`,
    own || '(no recorded command matches these probes)\n',
    `--- transcript of phase ${phase.id} ---`,
    phaseText || `(the record has no event of phase ${phase.id})\n`,
  ].join('\n');
}

function addTestCase(
  testCase: TestCase,
  criterion: CriterionResult,
  phase: PhaseView,
  index: TranscriptIndex,
  phaseText: string,
  findings: readonly Finding[],
): void {
  testCase.className(attr(`${JUNIT_SUITE_PREFIX}.${phase.id}`)).name(criterion.id);
  const probing = probeTimeMs(criterion.probes);
  if (probing !== undefined) testCase.time(seconds(probing));
  testCase
    .property('status', criterion.status)
    .property('advisory', String(criterion.advisory))
    .property('reason', attr(criterion.message));
  switch (criterion.status) {
    case 'passed':
      break;
    case 'failed':
      testCase.failure(attr(reasonOf(criterion)), 'failed').stacktrace(cdataSafe(failureBody(criterion)));
      break;
    case 'error':
      testCase.error(attr(reasonOf(criterion)), 'error', cdataSafe(failureBody(criterion)));
      break;
    case 'not-run':
      testCase.skipped();
      break;
  }
  testCase.standardOutput(cdataSafe(systemOut(criterion, phase, index, phaseText, findings)));
}

/** The JUnit XML text: one testsuite per phase, one testcase per criterion id. */
export function buildJUnit(summary: Summary, record: RunRecord): string {
  const index = indexEvents(record.events);
  const report = rootBuilder.newBuilder().name(JUNIT_SUITE_PREFIX);
  const phases = phaseViews(summary);
  const findings = findingsByPhase(summary, phases);
  for (const [n, phase] of phases.entries()) {
    const begins = index.entries.find((entry) => entry.kind === 'note' && entry.phase === phase.id);
    const suite = report
      .testSuite()
      .name(attr(phase.id))
      .timestamp(begins?.at ?? summary.startedAt);
    if (phase.record) suite.time(seconds(phase.record.durationMs));
    suite
      .property('title', attr(phase.title))
      .property('runId', attr(summary.runId))
      .property('verdict', summary.verdict)
      .property('profile', attr(summary.profile.name));
    if (phase.record?.settleMs !== undefined) suite.property('settleMs', String(phase.record.settleMs));
    if (n === 0) suite.property('findings', attr(findingsCount(sortFindings(summary.findings))));
    const own = findings.get(phase.id) ?? [];
    for (const finding of own) suite.property('finding', attr(findingLine(finding)));
    const phaseText = phaseExcerpt(index, phase.id, { maxChars: PHASE_EXCERPT_CHARS });
    for (const criterion of phase.criteria)
      addTestCase(suite.testCase(), criterion, phase, index, phaseText, own);
  }
  return `${report.build()}\n`;
}

/** Write `junit.xml` into `dir`. Returns the path. */
export function writeJUnit(dir: string, summary: Summary, record: RunRecord): string {
  const text = buildJUnit(summary, record);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, JUNIT_FILE);
  writeFileSync(path, text);
  return path;
}
