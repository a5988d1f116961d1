import { STAGE4_CRITERIA } from '../criteria/ids.js';
import type { CriterionResult, PhaseRecord, Summary } from '../model/summary.js';
import type { EvidenceFile } from './run-config.js';

/** The run's summary.json, from the lab's evidence and the criteria the scenarios judged. */
export function buildSummary(
  file: EvidenceFile,
  criteria: CriterionResult[],
  findings: Summary['findings'],
  durationMs: number,
): Summary {
  const { config, evidence } = file;
  const uplink = process.env.VPC_SANDBOX_UPLINK;
  // docs/architecture.md "Verdict": a pass needs every Stage 4 criterion passed, so a run narrowed by --only never passes.
  const passed = STAGE4_CRITERIA.every((id) => criteria.find((c) => c.id === id)?.status === 'passed');
  const phases: PhaseRecord[] = evidence.phases.map((phase) => ({
    id: phase.phase,
    title: phase.phase,
    steps: phase.steps,
    truthTables: phase.truthTables,
    ...(phase.settleMs === undefined ? {} : { settleMs: phase.settleMs }),
    durationMs: phase.durationMs,
  }));
  return {
    schemaVersion: 1,
    runId: config.runId,
    target: { dir: config.targetDir, command: file.targetCommand, reference: config.reference },
    profile: {
      name: file.profileName,
      ...(config.profile.startsWith('/') ? { path: config.profile } : {}),
      // What the sandbox really named its uplink (pid1.sh), when a profile asked for another name than eth0.
      ...(uplink && uplink !== 'eth0' ? { uplink } : {}),
      ...(config.profileInferred ? { inferred: true } : {}),
    },
    startedAt: config.startedAt,
    durationMs,
    verdict: passed && !evidence.deadlineHit ? 'pass' : 'fail',
    deadlineHit: evidence.deadlineHit,
    criteria,
    findings,
    phases,
    environment: file.environment,
    reportsDir: config.reportsDir,
    topology: file.topology,
  };
}
