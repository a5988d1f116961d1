import { emptyPhase } from '../../src/events/evidence.js';
import type { EventStream } from '../../src/exec/events.js';
import type {
  CommandCheck,
  DiscoveredSubnet,
  LabEvidence,
  PhaseEvidence,
  PhaseId,
  Snapshot,
} from '../../src/model/evidence.js';
import type { ProbeResult, TruthTable } from '../../src/model/probe.js';
import type { Finding, StepResult } from '../../src/model/summary.js';

export interface PhaseAggregates {
  truthTables: TruthTable[];
  internetSources: string[];
  unnattedPackets: number;
  durationMs: number;
}

/**
 * The lab's evidence and its events, written together: every change to the
 * evidence is one typed event emitted the moment it happens, so a fold of the
 * events (docs/architecture.md "The stage runner") gives this same evidence.
 * Probe events are the probe runner's own (src/probes/runner.ts).
 */
export class LabRecord {
  readonly #events: EventStream;
  readonly #order: PhaseId[];
  readonly #open = new Map<PhaseId, PhaseEvidence>();
  readonly #closed = new Map<PhaseId, PhaseEvidence>();
  readonly #findings: Finding[] = [];

  constructor(events: EventStream, phases: readonly PhaseId[]) {
    this.#events = events;
    this.#order = [...phases];
  }

  runBegins(plan: string): void {
    this.#events.emit({ kind: 'run', state: 'begin', at: now(), plan });
  }

  phaseBegins(phase: PhaseId): void {
    this.#open.set(phase, emptyPhase(phase, true));
    this.#events.emit({ kind: 'phase', phase, state: 'begin', at: now() });
  }

  stageBegins(phase: PhaseId, stage: string, title: string): void {
    this.#events.emit({ kind: 'stage', phase, stage, title, at: now() });
  }

  step(phase: PhaseId, stage: string, title: string, result: StepResult): void {
    this.#phase(phase).steps.push(result);
    this.#events.emit({ kind: 'step', phase, stage, title, result, at: now() });
  }

  check(phase: PhaseId, stage: string, check: CommandCheck): void {
    this.#phase(phase).checks.push(check);
    this.#events.emit({ kind: 'check', phase, stage, check, at: now() });
  }

  /** The stage's expected subnets as found: the phase's discovery is its last stage's. */
  discovery(phase: PhaseId, stage: string, subnets: DiscoveredSubnet[]): void {
    this.#phase(phase).discovery = subnets;
    this.#events.emit({ kind: 'discovery', phase, stage, subnets, at: now() });
  }

  /** A stage's probe results (their events are the probe runner's); the phase's settle time is its slowest stage's. */
  probes(phase: PhaseId, results: ProbeResult[], probesMs: number, settleMs: number | undefined): void {
    const evidence = this.#phase(phase);
    evidence.probes.push(...results);
    evidence.probesMs = (evidence.probesMs ?? 0) + probesMs;
    if (settleMs !== undefined) evidence.settleMs = Math.max(evidence.settleMs ?? 0, settleMs);
  }

  snapshot(phase: PhaseId, which: 'before' | 'after', snapshot: Snapshot): void {
    this.#phase(phase)[which === 'before' ? 'snapshotBefore' : 'snapshotAfter'] = snapshot;
    this.#events.emit({ kind: 'snapshot', phase, which, snapshot, at: now() });
  }

  finding(finding: Finding): void {
    this.#findings.push(finding);
    this.#events.emit({ kind: 'finding', finding, at: now() });
  }

  /** The probes recorded so far in the phase (for its truth tables). */
  probesOf(phase: PhaseId): ProbeResult[] {
    return this.#phase(phase).probes;
  }

  phaseEnds(phase: PhaseId, aggregates: PhaseAggregates): void {
    const evidence = { ...this.#phase(phase), ...aggregates };
    this.#open.delete(phase);
    this.#closed.set(phase, evidence);
    this.#events.emit({
      kind: 'phase',
      phase,
      state: 'end',
      at: now(),
      truthTables: evidence.truthTables,
      internetSources: evidence.internetSources,
      unnattedPackets: evidence.unnattedPackets,
      ...(evidence.settleMs === undefined ? {} : { settleMs: evidence.settleMs }),
      ...(evidence.probesMs === undefined ? {} : { probesMs: evidence.probesMs }),
      durationMs: evidence.durationMs,
    });
  }

  /** Not reached (skipped, or begun and cut short by a harness error): what it recorded is dropped. */
  phaseNotReached(phase: PhaseId): void {
    this.#open.delete(phase);
    this.#closed.set(phase, emptyPhase(phase, false));
    this.#events.emit({ kind: 'phase', phase, state: 'not-reached', at: now() });
  }

  runEnds(end: Omit<LabEvidence, 'phases' | 'findings'>): LabEvidence {
    for (const phase of this.#order) if (!this.#closed.has(phase)) this.phaseNotReached(phase);
    this.#events.emit({
      kind: 'run',
      state: 'end',
      at: now(),
      unsupportedSteps: end.unsupportedSteps,
      deadlineHit: end.deadlineHit,
      ...(end.harnessError === undefined ? {} : { harnessError: end.harnessError }),
    });
    return {
      phases: this.#order.map((phase) => this.#closed.get(phase) ?? emptyPhase(phase, false)),
      findings: [...this.#findings],
      ...end,
    };
  }

  #phase(phase: PhaseId): PhaseEvidence {
    const evidence = this.#open.get(phase);
    if (!evidence) throw new Error(`lab record: phase ${phase} has not begun (or has ended)`);
    return evidence;
  }
}

function now(): string {
  return new Date().toISOString();
}
