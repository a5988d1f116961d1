import type { LabEvidence, PhaseEvidence } from '../model/evidence.js';
import type { ProbeResult } from '../model/probe.js';
import type { Finding } from '../model/summary.js';
import { listSome } from './describe.js';
import { rejectedByFirewall } from './probes.js';
import { describeDiff, diffSnapshots } from './teardown.js';

export interface FindingsOptions {
  /** A settle time above this is reported. Default 2000 ms. */
  settleWarnMs?: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const blockedOutcome = (p: ProbeResult) =>
  p.outcome === 'timeout' || p.outcome === 'unreachable' || p.outcome === 'refused';

/**
 * Probes tried once (`once`, an observation) that did not connect. One to a
 * port a later stage of the phase must block, and does, on a host the same
 * source reached otherwise: the tool already blocked that port before the
 * step (at create, say). The criterion is judged on
 * the state after the step, so this is information, not a failure.
 */
function observationFindings(phase: PhaseEvidence): Finding[] {
  const out: Finding[] = [];
  for (const p of phase.probes) {
    if (!p.once || p.outcome === 'connected') continue;
    const port = p.port === undefined ? '' : `:${p.port}`;
    const stage = p.id.split(':')[0] ?? phase.phase;
    const sameHost = (b: ProbeResult) => b.from.subnet === p.from.subnet && b.to.address === p.to.address;
    const later = phase.probes.find(
      (b) =>
        b.expected === 'blocked' &&
        b.kind === p.kind &&
        sameHost(b) &&
        b.port === p.port &&
        blockedOutcome(b),
    );
    // A port, not the whole host: something else from the same source reached it in the phase.
    const hostReached = phase.probes.some((b) => sameHost(b) && b.outcome === 'connected');
    const before =
      phase.phase === 'policy' ? 'before the policy' : `before the steps of phase ${phase.phase}`;
    out.push(
      later && hostReached
        ? {
            id: 'blocked-before-step',
            severity: 'info',
            phase: phase.phase,
            message: `${p.from.label} -> ${p.to.label}${port} was already blocked ${before} (stage ${stage}: ${p.outcome} on its one try), as it is after it; the criterion is judged on the state after it, so this is no failure`,
          }
        : {
            id: 'observation-not-connected',
            severity: 'info',
            phase: phase.phase,
            message: `${p.kind.toUpperCase()} ${p.from.label} -> ${p.to.label}${port} (stage ${stage}, an observation tried once) got ${p.outcome}${p.detail ? ` (${p.detail})` : ''}`,
          },
    );
  }
  return out;
}

/**
 * Observations worth a student's attention that are not criteria (docs/architecture.md
 * "Findings"): long stalls, un-NATed private packets on the WAN, leftovers,
 * state the run removed, ambiguous discovery, REJECT instead of DROP.
 */
export function findingsFrom(evidence: LabEvidence, options: FindingsOptions = {}): Finding[] {
  const settleWarnMs = options.settleWarnMs ?? 2000;
  const out: Finding[] = [];
  for (const phase of evidence.phases.filter((p) => p.reached)) {
    if (phase.settleMs !== undefined && phase.settleMs > settleWarnMs) {
      out.push({
        id: 'settle-stall',
        severity: 'warning',
        phase: phase.phase,
        message: `phase ${phase.phase}: traffic needed ${seconds(phase.settleMs)} after the steps before every positive control passed (over ${seconds(settleWarnMs)}); a bridge that changes its MAC when a port joins leaves namespaces with a stale gateway ARP entry`,
      });
    }
    if (phase.unnattedPackets > 0) {
      out.push({
        id: 'unnatted-wan-leak',
        severity: 'warning',
        phase: phase.phase,
        message: `phase ${phase.phase}: ${phase.unnattedPackets} packet(s) from private (10/8) addresses reached the internet without NAT: the private subnet looks blocked only because the internet cannot answer it; drop its traffic to the WAN in FORWARD instead`,
      });
    }
    for (const d of phase.discovery) {
      if (d.problem?.startsWith('several namespaces')) {
        out.push({ id: 'discovery-ambiguous', severity: 'warning', phase: phase.phase, message: d.problem });
      }
    }
    for (const p of phase.probes) {
      if (p.expected === 'blocked' && p.kind !== 'icmp' && p.outcome === 'refused') {
        const port = p.port === undefined ? '' : `:${p.port}`;
        out.push(
          rejectedByFirewall(p, phase)
            ? {
                id: 'rejected-not-dropped',
                severity: 'info',
                phase: phase.phase,
                message: `${p.from.label} -> ${p.to.label}${port} was blocked with a REJECT (TCP reset) rather than dropped: counted as blocked, since the harness listener there answered other probes`,
              }
            : {
                id: 'refused-not-dropped',
                severity: 'warning',
                phase: phase.phase,
                message: `${p.from.label} -> ${p.to.label}${port} must be blocked but was refused, and no probe proved the listener there alive: it may have reached a closed port; counted as not blocked`,
              },
        );
      }
    }
    out.push(...observationFindings(phase));
    if (phase.snapshotBefore && phase.snapshotAfter) {
      const { added, removed } = diffSnapshots(phase.snapshotBefore, phase.snapshotAfter);
      if (added.processes.length > 0) {
        out.push({
          id: 'leftover-process',
          severity: 'warning',
          phase: phase.phase,
          message: `processes started during the run are still running after teardown: ${listSome(added.processes)}`,
        });
      }
      const before = phase.snapshotBefore.policies ?? [];
      const after = phase.snapshotAfter.policies ?? [];
      if (before.join('\n') !== [...after].join('\n')) {
        out.push({
          id: 'policy-changed',
          severity: 'warning',
          phase: phase.phase,
          message: `built-in chain policies differ after teardown: before ${before.length > 0 ? listSome(before) : 'all ACCEPT'}, after ${after.length > 0 ? listSome(after) : 'all ACCEPT'}`,
        });
      }
      const gone = describeDiff({ ...removed, processes: [] });
      if (gone) {
        out.push({
          id: 'baseline-removed',
          severity: 'warning',
          phase: phase.phase,
          message: `the run removed state that existed before it started: ${gone}`,
        });
      }
    }
  }
  if (evidence.deadlineHit) {
    out.push({
      id: 'deadline-hit',
      severity: 'warning',
      message:
        'the run hit its overall deadline: criteria it did not reach are not-run and the verdict is fail',
    });
  }
  const all = [...evidence.findings, ...out];
  const seen = new Set<string>();
  return all.filter((f) => {
    const key = `${f.id}\u0000${f.phase ?? ''}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
