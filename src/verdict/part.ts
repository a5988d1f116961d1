import type { CriterionStatus } from '../model/criteria.js';
import type { ProbeResult } from '../model/probe.js';

/**
 * One piece of evidence judged for a criterion. A criterion combines its
 * parts: a real failure outweighs a broken probe, which outweighs evidence
 * that never came (not-run); only all-passed passes.
 */
export interface Part {
  status: CriterionStatus;
  message: string;
  phase: string;
  probes: ProbeResult[];
  /** Among parts of the same status, the lowest rank is reported first. */
  rank: number;
}

export const RANK = {
  /** A "must be blocked" probe got through: the clearest failure. */
  leak: 1,
  /** A "must connect" probe (not a control) did not. */
  positive: 2,
  /** Something the criterion needs is missing (subnet, snapshot, check). */
  missing: 2,
  /** A positive control failed. */
  control: 3,
  /** Blocked, but without a control: cannot tell blocked from broken. */
  uncontrolled: 4,
  info: 9,
} as const;

const SEVERITY: Record<CriterionStatus, number> = { failed: 0, error: 1, 'not-run': 2, passed: 3 };

export function part(
  status: CriterionStatus,
  message: string,
  phase: string,
  rank: number,
  probes: ProbeResult[] = [],
): Part {
  return { status, message, phase, probes, rank };
}

export interface Combined {
  status: CriterionStatus;
  message: string;
  phase: string;
  probes: ProbeResult[];
}

/** The worst status wins; its most telling part is the message, with a count of the others. */
export function combine(parts: readonly Part[], passedMessage: string, fallbackPhase: string): Combined {
  const probes = uniqueProbes(parts.flatMap((p) => p.probes));
  if (parts.length === 0)
    return { status: 'error', message: 'no evidence was recorded', phase: fallbackPhase, probes };
  const worst = Math.min(...parts.map((p) => SEVERITY[p.status]));
  const bad = parts
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => SEVERITY[p.status] === worst)
    .sort((a, b) => a.p.rank - b.p.rank || a.index - b.index)
    .map(({ p }) => p);
  const first = bad[0] as Part;
  if (first.status === 'passed') {
    return { status: 'passed', message: passedMessage, phase: parts.at(-1)?.phase ?? fallbackPhase, probes };
  }
  const more =
    bad.length > 1
      ? ` (and ${bad.length - 1} more ${first.status === 'failed' ? 'failures' : 'like it'})`
      : '';
  return { status: first.status, message: `${first.message}${more}`, phase: first.phase, probes };
}

function uniqueProbes(probes: ProbeResult[]): ProbeResult[] {
  const seen = new Set<string>();
  return probes.filter((p) => {
    const key = `${p.phase}\u0000${p.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
