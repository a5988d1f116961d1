/**
 * The part of a verification that runs inside the sandbox (started by
 * verify.ts through runInSandbox): the lab, then the vitest scenarios, then
 * the reports. Exit code: 0 pass, 1 fail, 4 harness error.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvironment } from '../../lab/environment.js';
import { LabRun } from '../../lab/run-lab.js';
import { labShell } from '../../lab/shell.js';
import { topologyOf } from '../discovery/topology.js';
import { EVENTS_FILE, jsonlSink, readEvents } from '../events/jsonl.js';
import { progressSink } from '../events/progress.js';
import { EventStream } from '../events/stream.js';
import { transcriptSink } from '../events/transcript.js';
import type { Timings } from '../model/summary.js';
import { STAGE4_PLAN } from '../plan/stage4.js';
import { loadProfile, renderInvocation } from '../profiles/index.js';
import { writeReports, writeSummary } from '../reports/index.js';
import { formatError } from '../util/errors.js';
import { findingsFrom } from '../verdict/index.js';
import { buildSummary } from './build-summary.js';
import { EVIDENCE_FILE, type EvidenceFile, type RunConfig } from './run-config.js';
import { runScenarios } from './scenarios.js';

function progress(line: string): void {
  process.stderr.write(`progress: ${line}\n`);
}

/** --keep: a shell inside the sandbox, the lab as the target left it, to paste the probes' commands. */
function keepShell(file: EvidenceFile): void {
  if (!process.stdin.isTTY) {
    process.stderr.write('--keep: no terminal, so no shell; the lab is gone with the sandbox.\n');
    return;
  }
  const namespaces = file.topology.vpcs
    .flatMap((v) => v.subnets)
    .map((s) => `  ${s.key.padEnd(18)} ${s.netns ?? '(not found)'} ${s.address ?? ''}`)
    .join('\n');
  process.stderr.write(
    `\nThe lab is still standing (teardown skipped). Reports: ${file.config.reportsDir}\n` +
      `Subnets found:\n${namespaces}\nPaste any probe command from the report here. Exit the shell to end the sandbox.\n\n`,
  );
  spawnSync('bash', ['-i'], {
    stdio: 'inherit',
    cwd: process.cwd(),
    env: { ...process.env, PS1: '(vpc-sandbox) \\w# ' },
  });
}

export async function runInside(configPath: string): Promise<number> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as RunConfig;
  // Targets see the environment as it came; the harness keeps its scratch files
  // (captured output) off /tmp, which a target may fill.
  const targetEnv = { ...(process.env as Record<string, string>) };
  if (process.env.VPC_SANDBOX_HARNESS_TMP) process.env.TMPDIR = process.env.VPC_SANDBOX_HARNESS_TMP;
  const transcriptPath = process.env.VPC_TRANSCRIPT ?? join(config.reportsDir, 'transcript.log');
  // The record: events.jsonl as each event happens (what survives a killed harness), and sinks over the same events.
  const events = new EventStream();
  const record = jsonlSink(join(config.reportsDir, EVENTS_FILE));
  events.add(record);
  events.add(transcriptSink(transcriptPath));
  events.add(progressSink(progress));
  const $ = labShell(events);

  const profile = loadProfile(config.profile);
  const invocation = renderInvocation(profile, { dir: config.targetDir });
  const environment = await readEnvironment($, config.startState, config.host);
  const labStarted = Date.now();
  const evidence = await new LabRun({
    plan: STAGE4_PLAN,
    profile,
    targetDir: config.targetDir,
    invocationEnv: { ...targetEnv, ...invocation.env },
    workdir: invocation.cwd ?? process.cwd(),
    events,
    $,
    deadline: Date.parse(config.startedAt) + config.deadlineMs,
    stepTimeoutsMs: config.stepTimeoutsMs,
    ...(config.settleTimeoutMs ? { positiveDeadlineMs: config.settleTimeoutMs } : {}),
    skipTeardown: config.keep,
  }).run();

  const file: EvidenceFile = {
    config,
    profileName: profile.name,
    targetCommand: invocation.command,
    evidence,
    topology: topologyOf(STAGE4_PLAN, evidence),
    environment,
    labDurationMs: Date.now() - labStarted,
  };
  const evidencePath = join(config.reportsDir, EVIDENCE_FILE);
  writeFileSync(evidencePath, `${JSON.stringify(file, null, 2)}\n`);

  progress('judging the criteria (vitest scenarios)');
  const scenariosStarted = Date.now();
  const criteria = await runScenarios(evidencePath, config.only);
  const scenariosMs = Date.now() - scenariosStarted;
  const summary = buildSummary(
    file,
    criteria,
    findingsFrom(evidence),
    Date.now() - Date.parse(config.startedAt),
  );
  const timings: Timings = {
    labMs: file.labDurationMs,
    targetMs: evidence.phases.flatMap((p) => p.steps).reduce((sum, s) => sum + s.durationMs, 0),
    probesMs: Object.fromEntries(
      evidence.phases.filter((p) => p.probesMs !== undefined).map((p) => [p.phase, p.probesMs ?? 0]),
    ),
    scenariosMs,
    reportsMs: 0,
  };
  summary.timings = timings;
  const reportsStarted = Date.now();
  const written = await writeReports(config.reportsDir, summary, {
    events: readEvents(join(config.reportsDir, EVENTS_FILE)).events,
    transcript: readFileSync(transcriptPath, 'utf8'),
  });
  for (const { writer, error } of written.errors) {
    process.stderr.write(`warning: the ${writer} report could not be written: ${String(error)}\n`);
  }
  timings.reportsMs = Date.now() - reportsStarted;
  if (written.errors.every((e) => e.writer !== 'summary')) writeSummary(config.reportsDir, summary);
  if (config.keep) keepShell(file);
  if (evidence.harnessError) return 4;
  return summary.verdict === 'pass' ? 0 : 1;
}

const configPath = process.argv[2];
if (configPath) {
  runInside(configPath).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${formatError(error)}\n${error instanceof Error ? (error.stack ?? '') : ''}\n`);
      process.exitCode = 4;
    },
  );
}
