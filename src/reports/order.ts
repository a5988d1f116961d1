import { ALL_CRITERIA } from '../criteria/ids.js';
import type { PhaseId } from '../model/evidence.js';
import { type ProbeResult, verdictOf } from '../model/probe.js';
import type { CriterionResult, Finding, PhaseRecord, Summary } from '../model/summary.js';

/**
 * Reports must be byte-identical for the same input, whatever order the
 * runner happened to collect results in: everything is listed in these orders.
 */
export const PHASE_ORDER = [
  'bad-input',
  'vpc1',
  'vpc2',
  'peering',
  'policy',
  'inspect',
  'teardown',
] as const satisfies readonly PhaseId[];

function phaseRank(id: string): number {
  const index = (PHASE_ORDER as readonly string[]).indexOf(id);
  return index === -1 ? PHASE_ORDER.length : index;
}

export function comparePhases(a: string, b: string): number {
  return phaseRank(a) - phaseRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function sortCriteria(criteria: readonly CriterionResult[]): CriterionResult[] {
  const rank = (c: CriterionResult) => ALL_CRITERIA.indexOf(c.id);
  return [...criteria].sort((a, b) => rank(a) - rank(b));
}

export interface PhaseView {
  id: string;
  title: string;
  record: PhaseRecord | undefined;
  criteria: CriterionResult[];
}

/** Every phase the summary knows (recorded, or named by a criterion), sorted, with its criteria. */
export function phaseViews(summary: Summary): PhaseView[] {
  const ids = new Set<string>([...summary.phases.map((p) => p.id), ...summary.criteria.map((c) => c.phase)]);
  return [...ids].sort(comparePhases).map((id) => {
    const record = summary.phases.find((p) => p.id === id);
    return {
      id,
      title: record?.title ?? id,
      record,
      criteria: sortCriteria(summary.criteria.filter((c) => c.phase === id)),
    };
  });
}

/** A probe whose result contradicts its expectation (a broken probe always does). */
export function isFailingProbe(probe: ProbeResult): boolean {
  return verdictOf(probe.outcome) !== probe.expected;
}

export function sortProbes(probes: readonly ProbeResult[]): ProbeResult[] {
  return [...probes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function describeProbe(probe: ProbeResult): string {
  const port = probe.port === undefined ? '' : `:${probe.port}`;
  return `${probe.kind} ${probe.from.label} -> ${probe.to.label} (${probe.to.address}${port})`;
}

/**
 * Time spent probing for a criterion, in ms: the union of its probes' intervals
 * (they run concurrently, and may come from several phases). Undefined without probes.
 */
export function probeTimeMs(probes: readonly ProbeResult[]): number | undefined {
  const intervals = probes
    .map((p) => [Date.parse(p.startedAt), Date.parse(p.startedAt) + p.durationMs] as const)
    .filter(([start]) => !Number.isNaN(start))
    .sort((a, b) => a[0] - b[0]);
  if (intervals.length === 0) return undefined;
  let total = 0;
  let [from, to] = intervals[0] as readonly [number, number];
  for (const [start, end] of intervals.slice(1)) {
    if (start > to) {
      total += to - from;
      [from, to] = [start, end];
    } else {
      to = Math.max(to, end);
    }
  }
  return total + (to - from);
}

/** Findings by phase, then severity (warnings first), then id and text. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === 'warning' ? 0 : 1);
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      comparePhases(a.phase ?? '', b.phase ?? '') ||
      rank(a) - rank(b) ||
      text(a.id, b.id) ||
      text(a.message, b.message),
  );
}

/** `850 ms`, `42.1 s`, `3 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
