import type { DiscoveredSubnet, LabEvidence, PhaseEvidence, PhaseId } from '../model/evidence.js';
import type { ProbeResult } from '../model/probe.js';
import type { LabPlan } from '../plan/types.js';
import { buildTruthTables } from '../probes/truth-table.js';
import type { PhaseEvent, RecordEvent, RunEvent, SnapshotEvent } from './types.js';

interface Folding {
  evidence: PhaseEvidence;
  began: number | undefined;
  end: PhaseEvent | undefined;
  lastAt: number | undefined;
  /** Latest record of each subnet key (a later stage's discovery replaces an earlier one's). */
  discovery: Map<string, DiscoveredSubnet>;
}

/** A phase with nothing recorded yet: the runner's start of a phase and the fold's. */
export function emptyPhase(phase: PhaseId, reached = false): PhaseEvidence {
  return {
    phase,
    reached,
    steps: [],
    discovery: [],
    probes: [],
    truthTables: [],
    internetSources: [],
    unnattedPackets: 0,
    settleMs: undefined,
    checks: [],
    durationMs: 0,
  };
}

/** Plan order of every probe id, so probes recorded as they finished come back in the order the plan lists them. */
function probeOrder(plan: LabPlan): Map<string, number> {
  const order = new Map<string, number>();
  for (const phase of plan.phases)
    for (const stage of phase.stages) for (const spec of stage.probes) order.set(spec.id, order.size);
  return order;
}

function sortProbes(probes: ProbeResult[], order: Map<string, number>): ProbeResult[] {
  const rank = (p: ProbeResult) => order.get(p.id) ?? Number.MAX_SAFE_INTEGER;
  return probes
    .map((probe, arrival) => ({ probe, arrival }))
    .sort((a, b) => rank(a.probe) - rank(b.probe) || a.arrival - b.arrival)
    .map((x) => x.probe);
}

/**
 * The lab's evidence, folded from its event record (docs/architecture.md "The
 * event record"): what the runner returns at the end, rebuilt from what it
 * emitted as it went, so a run whose harness was killed is judged on
 * everything recorded before the kill. A phase with begin and end is reached
 * with its aggregates; one that began and never ended is reached, holds what
 * it recorded, and is `interrupted`; one never begun is not reached. The run's
 * end carries unsupportedSteps, deadlineHit and harnessError.
 */
export function evidenceFromEvents(events: readonly RecordEvent[], plan: LabPlan): LabEvidence {
  const order = probeOrder(plan);
  const phases = new Map<string, Folding>(
    plan.phases.map((p) => [
      p.id,
      {
        evidence: emptyPhase(p.id),
        began: undefined,
        end: undefined,
        lastAt: undefined,
        discovery: new Map(),
      },
    ]),
  );
  const findings: LabEvidence['findings'] = [];
  const snapshots: SnapshotEvent[] = [];
  let runEnd: RunEvent | undefined;
  const touch = (phase: string, at: string): Folding | undefined => {
    const f = phases.get(phase);
    if (f) f.lastAt = Math.max(f.lastAt ?? 0, Date.parse(at));
    return f;
  };

  for (const event of events) {
    switch (event.kind) {
      case 'run':
        if (event.state === 'end') runEnd = event;
        break;
      case 'phase': {
        const f = touch(event.phase, event.at);
        if (!f) break;
        if (event.state === 'begin') f.began = Date.parse(event.at);
        else if (event.state === 'end') f.end = event;
        break;
      }
      case 'step':
        touch(event.phase, event.at)?.evidence.steps.push(event.result);
        break;
      case 'check':
        touch(event.phase, event.at)?.evidence.checks.push(event.check);
        break;
      case 'discovery': {
        const f = touch(event.phase, event.at);
        for (const subnet of event.subnets) f?.discovery.set(subnet.key, subnet);
        break;
      }
      case 'probe':
        touch(event.phase, event.at)?.evidence.probes.push(event.result);
        break;
      case 'snapshot':
        touch(event.phase, event.at);
        snapshots.push(event);
        break;
      case 'finding':
        findings.push(event.finding);
        break;
      default:
        break;
    }
  }

  for (const f of phases.values()) {
    const e = f.evidence;
    e.discovery = [...f.discovery.values()];
    e.probes = sortProbes(e.probes, order);
    if (f.began === undefined) continue;
    e.reached = true;
    const end = f.end;
    if (end) {
      e.truthTables = end.truthTables ?? buildTruthTables(e.phase, e.probes, plan);
      e.internetSources = end.internetSources ?? [];
      e.unnattedPackets = end.unnattedPackets ?? 0;
      e.settleMs = end.settleMs;
      if (end.probesMs !== undefined) e.probesMs = end.probesMs;
      e.durationMs = end.durationMs ?? Date.parse(end.at) - f.began;
    } else {
      e.interrupted = true;
      e.truthTables = buildTruthTables(e.phase, e.probes, plan);
      e.durationMs = Math.max(0, (f.lastAt ?? f.began) - f.began);
    }
  }
  attachSnapshots(phases, snapshots);

  return {
    phases: [...phases.values()].map((f) => f.evidence),
    findings,
    unsupportedSteps: runEnd?.unsupportedSteps ?? [],
    deadlineHit: runEnd?.deadlineHit ?? false,
    harnessError: runEnd?.harnessError,
  };
}

/**
 * The baseline is taken before the first phase but compared in the phase that
 * takes the snapshot after: each `after` gets the latest `before` recorded
 * ahead of it; a `before` with no `after` stays with the phase it names, if
 * that phase began.
 */
function attachSnapshots(phases: Map<string, Folding>, snapshots: SnapshotEvent[]): void {
  let before: SnapshotEvent | undefined;
  let paired = false;
  for (const event of snapshots) {
    if (event.which === 'before') {
      before = event;
      paired = false;
      continue;
    }
    const f = phases.get(event.phase);
    if (!f || f.began === undefined) continue;
    f.evidence.snapshotAfter = event.snapshot;
    if (before) f.evidence.snapshotBefore = before.snapshot;
    paired = true;
  }
  if (before && !paired) {
    const f = phases.get(before.phase);
    if (f && f.began !== undefined) f.evidence.snapshotBefore = before.snapshot;
  }
}
