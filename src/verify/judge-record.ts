import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { topologyOf } from '../discovery/topology.js';
import { evidenceFromEvents } from '../events/evidence.js';
import type { RecordEvent } from '../events/types.js';
import type { LabEvidence, PhaseEvidence } from '../model/evidence.js';
import type { CriterionResult, Environment, Finding, Summary } from '../model/summary.js';
import { CRITERION_PHASES, STAGE4_PLAN } from '../plan/stage4.js';
import { findingsFrom } from '../verdict/index.js';
import { buildSummary } from './build-summary.js';
import { EVIDENCE_FILE, type EvidenceFile, type RunConfig } from './run-config.js';
import { runScenarios } from './scenarios.js';

/** Whether the record holds any lab phase: without one there is nothing to judge. */
export function recordsAPhase(events: readonly RecordEvent[]): boolean {
  return events.some((e) => e.kind === 'phase' && e.state === 'begin');
}

function finished(phase: PhaseEvidence | undefined): boolean {
  return phase?.reached === true && !phase.interrupted;
}

/**
 * A criterion judged from a cut record keeps its status only when the record
 * can decide it: a pass needs every phase it reads finished; a failure needs
 * the phase that failed it finished (a proven failure stays one). Anything
 * else is `error`, naming the phase the kill took away: never a false pass.
 */
export function settleCriteria(
  criteria: readonly CriterionResult[],
  evidence: LabEvidence,
  why: string,
): CriterionResult[] {
  const phaseOf = (id: string) => evidence.phases.find((p) => p.phase === id);
  return criteria.map((c) => {
    if (c.message === 'not selected (--only)') return c;
    const needs = [...(CRITERION_PHASES[c.id] ?? []), c.phase].filter((id) => phaseOf(id) !== undefined);
    const missing =
      c.status === 'failed' && finished(phaseOf(c.phase))
        ? undefined
        : needs.find((id) => !finished(phaseOf(id)));
    if (missing === undefined) return c;
    const how = phaseOf(missing)?.reached ? 'the kill cut short' : 'was never reached';
    return {
      ...c,
      status: 'error',
      phase: missing,
      message: `${why}; ${c.id} needs phase ${missing}, which ${how}`,
    };
  });
}

// runScenarios hands the evidence path to vitest through the environment: one judging at a time per process.
let judging: Promise<unknown> = Promise.resolve();

export interface RecordRun {
  config: RunConfig;
  events: readonly RecordEvent[];
  /** Why the run has no summary of its own (the harness was killed ...). */
  why: string;
  findings: Finding[];
  profileName: string;
  targetCommand: string[];
  environment: Environment;
  durationMs: number;
}

/**
 * The summary of a run whose harness died, judged by the real scenarios on
 * the evidence folded from its events.jsonl: what finished before the kill
 * gets its real status (settleCriteria says which).
 */
export async function summaryFromRecord(run: RecordRun): Promise<Summary> {
  const evidence = evidenceFromEvents(run.events, STAGE4_PLAN);
  const firstAt = run.events.find((e) => e.kind === 'phase')?.at;
  const lastAt = run.events.at(-1)?.at;
  const file: EvidenceFile = {
    config: run.config,
    profileName: run.profileName,
    targetCommand: run.targetCommand,
    evidence,
    topology: topologyOf(STAGE4_PLAN, evidence),
    environment: run.environment,
    labDurationMs: firstAt && lastAt ? Math.max(0, Date.parse(lastAt) - Date.parse(firstAt)) : 0,
  };
  const evidencePath = join(run.config.reportsDir, EVIDENCE_FILE);
  writeFileSync(evidencePath, `${JSON.stringify(file, null, 2)}\n`);
  const turn = judging.then(() => runScenarios(evidencePath, run.config.only));
  judging = turn.catch(() => undefined);
  const criteria = settleCriteria(await turn, evidence, run.why);
  const findings = [...run.findings, ...findingsFrom(evidence)];
  return buildSummary(file, criteria, findings, run.durationMs);
}
