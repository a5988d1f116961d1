import type { CommandEvent } from '../exec/types.js';
import type { CommandCheck, DiscoveredSubnet, PhaseId, Snapshot } from '../model/evidence.js';
import type { ProbeResult, TruthTable } from '../model/probe.js';
import type { Finding, StepResult } from '../model/summary.js';

/**
 * The run's one event record (docs/architecture.md "The event record"): every
 * command, step, probe and finding is one of these, appended to events.jsonl
 * as it happens. The lab's evidence, the transcript and the progress lines are
 * all folds of this stream, so a harness killed mid-run still leaves on disk
 * everything judged so far.
 */

interface Stamped {
  /** ISO timestamp of when it happened. */
  at: string;
}

/** The run begins (what it runs) or ends (how). */
export interface RunEvent extends Stamped {
  kind: 'run';
  state: 'begin' | 'end';
  /** begin: the lab plan's name. */
  plan?: string;
  /** end: profile steps that are `null` (unsupported). */
  unsupportedSteps?: string[];
  /** end: the run hit its deadline. */
  deadlineHit?: boolean;
  /** end: the harness itself broke (not the target). */
  harnessError?: string;
}

/** A phase begins, or ends with what it measured as a whole. */
export interface PhaseEvent extends Stamped {
  kind: 'phase';
  phase: PhaseId;
  state: 'begin' | 'end' | 'not-reached';
  /** end only; truthTables left out are built from the phase's probe events. */
  truthTables?: TruthTable[];
  internetSources?: string[];
  unnattedPackets?: number;
  settleMs?: number;
  probesMs?: number;
  durationMs?: number;
}

/** A stage of a phase begins (its steps follow). */
export interface StageEvent extends Stamped {
  kind: 'stage';
  phase: PhaseId;
  stage: string;
  title: string;
}

/** One lab step, run through the profile (or not: unsupported, skipped, harness). */
export interface StepEvent extends Stamped {
  kind: 'step';
  phase: PhaseId;
  stage: string;
  title: string;
  result: StepResult;
}

/** A command check (bad input rejected, repeated create, inspect), with what it left behind. */
export interface CheckEvent extends Stamped {
  kind: 'check';
  phase: PhaseId;
  stage: string;
  check: CommandCheck;
}

/** What discovery found for the stage's expected subnets (the phase's evidence keeps the latest record of each subnet). */
export interface DiscoveryEvent extends Stamped {
  kind: 'discovery';
  phase: PhaseId;
  stage: string;
  subnets: DiscoveredSubnet[];
}

/** One probe, recorded the moment its outcome is known (after its tries). */
export interface ProbeEvent extends Stamped {
  kind: 'probe';
  phase: PhaseId;
  stage: string;
  result: ProbeResult;
}

/**
 * A sandbox snapshot: the teardown baseline, or the state after teardown. The
 * fold pairs each `after` with the latest `before` ahead of it, so the
 * baseline may name the phase it was taken in or the one that compares it.
 */
export interface SnapshotEvent extends Stamped {
  kind: 'snapshot';
  phase: PhaseId;
  which: 'before' | 'after';
  snapshot: Snapshot;
}

/** An observation worth a student's attention that is not a criterion. */
export interface FindingEvent extends Stamped {
  kind: 'finding';
  finding: Finding;
}

export type LabEvent =
  | RunEvent
  | PhaseEvent
  | StageEvent
  | StepEvent
  | CheckEvent
  | DiscoveryEvent
  | ProbeEvent
  | SnapshotEvent
  | FindingEvent;

/** Everything the record holds: command events (src/exec) and lab events. */
export type RecordEvent = CommandEvent | LabEvent;
