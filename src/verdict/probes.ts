import type { PhaseEvidence } from '../model/evidence.js';
import type { ProbeResult } from '../model/probe.js';

/**
 * Readings of probe results shared by the criterion matchers
 * (src/criteria/matchers/probes.ts) and the findings.
 */

/**
 * A refused connection to a port where the harness's listener was proven
 * alive in the same phase (another probe connected to the same address and
 * port) did not reach the listener: a firewall answered it (REJECT with a TCP
 * reset). That is blocked, by a different design than DROP; a refusal without
 * that proof may be a closed port, and is not.
 */
export function rejectedByFirewall(r: ProbeResult, phase: PhaseEvidence): boolean {
  if (r.outcome !== 'refused' || r.kind === 'icmp' || r.to.subnet === undefined) return false;
  return phase.probes.some(
    (p) =>
      p.id !== r.id &&
      p.outcome === 'connected' &&
      p.kind !== 'icmp' &&
      p.to.address === r.to.address &&
      p.port === r.port,
  );
}

/** `4 must-connect probes connected (one after 3 tries); 16 must-be-blocked probes blocked with positive controls` */
export function probeSummary(all: readonly ProbeResult[]): string {
  const probes = [...new Map(all.map((p) => [`${p.phase}\u0000${p.id}`, p])).values()];
  const positives = probes.filter((p) => p.expected === 'allowed');
  const negatives = probes.filter((p) => p.expected === 'blocked');
  const parts: string[] = [];
  if (positives.length > 0) {
    const slowest = Math.max(...positives.map((p) => p.tries));
    parts.push(
      `${positives.length} must-connect probe${positives.length === 1 ? '' : 's'} connected${slowest > 1 ? ` (the slowest after ${slowest} tries)` : ''}`,
    );
  }
  if (negatives.length > 0) {
    parts.push(
      `${negatives.length} must-be-blocked probe${negatives.length === 1 ? '' : 's'} blocked after positive controls from the same source passed`,
    );
  }
  return parts.join('; ');
}
