import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import {
  profileSandboxOptions,
  runInSandbox,
  type SandboxOptions,
  START_STATE_SETTINGS,
  type StartStateName,
  sandboxCommand,
} from '../../lab/sandbox/sandbox.js';
import { ALL_CRITERIA, isAdvisory } from '../criteria/ids.js';
import { makeResult } from '../exec/result.js';
import type { CommandResult } from '../exec/types.js';
import { AUTO } from '../init/files.js';
import type { CriterionResult, Environment, Summary } from '../model/summary.js';
import { loadProfile, type Profile, renderInvocation } from '../profiles/index.js';
import { readRunRecord, TRANSCRIPT_FILE, writeReports } from '../reports/index.js';
import { VpcError } from '../util/errors.js';
import { distPath, PACKAGE_ROOT } from '../util/paths.js';
import { doctor, formatDoctor, requiresProblem } from './doctor.js';
import { readHostSettings } from './host-settings.js';
import { inferForRun } from './infer-for-run.js';
import { recordsAPhase, summaryFromRecord } from './judge-record.js';
import { explainNoSummary } from './no-summary.js';
import { CONFIG_FILE, type RunConfig } from './run-config.js';
import { makeRunId } from './run-id.js';

export interface VerifyOptions {
  /** The target's directory; undefined = our reference vpcctl. */
  targetDir?: string;
  /** Built-in profile name or a profile file. Default `seed`. */
  profile?: string;
  /** Where `<run-id>/` goes. Default `reports/` of this package. */
  outDir?: string;
  only?: string[];
  startState?: StartStateName;
  /** The whole run's deadline (ms). Default 5 minutes. */
  deadlineMs?: number;
  stepTimeoutsMs?: Record<string, number>;
  /** How long must-connect probes retry (default 45 s). */
  settleTimeoutMs?: number;
  /** Stop before teardown and open a shell inside the sandbox. */
  keep?: boolean;
  /** Give up on the run: the sandbox and everything in it are killed. */
  signal?: AbortSignal;
  /** The caller already ran the preflight (a batch does it once). */
  skipDoctor?: boolean;
  /** Progress lines as the lab goes (phase boundaries, steps). */
  onProgress?: (line: string) => void;
  /** Appended to the run id (e.g. the start state, when one target runs under several). */
  runIdSuffix?: string;
}

export interface VerifyOutcome {
  summary: Summary;
  reportsDir: string;
}

const DEFAULT_DEADLINE_MS = 5 * 60_000;

/** --keep: the sandbox gets the terminal (the lab ends in an interactive shell), so nothing is captured. */
async function runAttached(payload: readonly string[], options: SandboxOptions): Promise<CommandResult> {
  const { argv, env } = sandboxCommand(payload, { ...options, inheritStdin: true });
  const [file, ...args] = argv;
  const startedAt = new Date();
  const child = await execa(file as string, args, { env, stdio: 'inherit', reject: false });
  return makeResult({
    argv,
    escapedCommand: argv.join(' '),
    startedAt,
    exitCode: child.exitCode,
    signal: child.signal,
  });
}

/** Fail early, before any sandbox, on what the user can fix: target, profile, criterion ids. */
function checkInput(options: VerifyOptions): {
  targetDir: string;
  reference: boolean;
  profile: string;
  /** Undefined for `auto`: the profile is inferred once the run folder exists. */
  loaded: Profile | undefined;
} {
  const reference = options.targetDir === undefined;
  const targetDir = resolve(options.targetDir ?? PACKAGE_ROOT);
  if (!existsSync(targetDir) || !statSync(targetDir).isDirectory()) {
    throw new VpcError('E_BAD_INPUT', `target directory not found: ${targetDir}`, {
      hint: "give the folder of the tool's repository (the one holding bin/vpcctl or vpcctl.py)",
    });
  }
  const profileArg = options.profile ?? 'seed';
  const profile = existsSync(profileArg) ? resolve(profileArg) : profileArg;
  const loaded = profile === AUTO ? undefined : loadProfile(profile);
  for (const id of options.only ?? []) {
    if (!(ALL_CRITERIA as readonly string[]).includes(id)) {
      throw new VpcError('E_BAD_INPUT', `unknown criterion id in --only: ${id}`, {
        hint: `known ids: ${ALL_CRITERIA.join(', ')}`,
      });
    }
  }
  return { targetDir, reference, profile, loaded };
}

/** Nothing was read inside: the documented values of the start state (a schema-valid summary.json). */
function fallbackEnvironment(config: RunConfig): Environment {
  return {
    kernel: '',
    iptablesBackend: '',
    node: process.version,
    startState: { name: config.startState, ...START_STATE_SETTINGS[config.startState] },
    host: config.host,
  };
}

/** A summary for a run that ended without one (the sandbox was killed at the deadline, or crashed). */
export function fallbackSummary(
  config: RunConfig,
  durationMs: number,
  why: string,
  deadlineHit: boolean,
): Summary {
  const criteria: CriterionResult[] = ALL_CRITERIA.map((id) => ({
    id,
    status: deadlineHit ? 'not-run' : 'error',
    message: why,
    advisory: isAdvisory(id),
    phase: '-',
    probes: [],
  }));
  return {
    schemaVersion: 1,
    runId: config.runId,
    target: { dir: config.targetDir, command: [], reference: config.reference },
    profile: { name: config.profile },
    startedAt: config.startedAt,
    durationMs,
    verdict: 'fail',
    deadlineHit,
    criteria,
    findings: [],
    phases: [],
    environment: fallbackEnvironment(config),
    reportsDir: config.reportsDir,
  };
}

/**
 * Verify one target: check the input and the machine, run the lab and the
 * scenarios inside a fresh sandbox, and return the summary. Reports are
 * written under `<outDir>/<run-id>/` in every case (also a crashed or
 * deadline-cut run, which is a failed run).
 */
export async function verify(options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const checked = checkInput(options);
  const { targetDir, reference } = checked;
  const report = await doctor({ install: true, log: options.onProgress, requires: checked.loaded?.requires });
  if (!report.ok) {
    const requires = checked.loaded ? requiresProblem(report, checked.loaded.name) : undefined;
    throw new VpcError('E_ENVIRONMENT', requires ?? `this machine cannot run labs:\n${formatDoctor(report)}`);
  }

  const outDir = resolve(options.outDir ?? join(PACKAGE_ROOT, 'reports'));
  const suffix = options.runIdSuffix ? `-${options.runIdSuffix}` : '';
  const runId = makeRunId(`${reference ? 'vpcctl-reference' : targetDir}${suffix}`);
  const reportsDir = join(outDir, runId);
  mkdirSync(reportsDir, { recursive: true });
  const inferred = checked.profile === AUTO;
  const profile = inferred ? await inferForRun(targetDir, reportsDir, options.onProgress) : checked.profile;
  const wanted = checked.loaded ?? loadProfile(profile);
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const config: RunConfig = {
    runId,
    targetDir,
    reference,
    profile,
    ...(inferred ? { profileInferred: true } : {}),
    reportsDir,
    only: options.only ?? [],
    startState: options.startState ?? 'fresh',
    deadlineMs,
    stepTimeoutsMs: options.stepTimeoutsMs,
    ...(options.settleTimeoutMs ? { settleTimeoutMs: options.settleTimeoutMs } : {}),
    keep: options.keep ?? false,
    startedAt: new Date().toISOString(),
    host: await readHostSettings(),
  };
  const configPath = join(reportsDir, CONFIG_FILE);
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);

  const started = Date.now();
  let pending = '';
  const run = options.keep ? runAttached : runInSandbox;
  const result = await run([process.execPath, distPath('src/verify/inner.js'), configPath], {
    keepPaths: [targetDir, reportsDir, ...(profile.startsWith('/') ? [profile] : [])],
    ...profileSandboxOptions(wanted, targetDir),
    transcriptPath: join(reportsDir, TRANSCRIPT_FILE),
    startState: config.startState,
    // The lab keeps its own deadline and reports; this one only catches a harness that hangs.
    timeoutMs: deadlineMs + 60_000,
    label: 'sandbox',
    signal: options.signal,
    onOutput: (stream, chunk) => {
      if (stream !== 'stderr' || !options.onProgress) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('progress: ')) options.onProgress(line.slice(10));
    },
  });

  const summaryPath = join(reportsDir, 'summary.json');
  if (existsSync(summaryPath)) {
    return { summary: JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary, reportsDir };
  }
  const record = readRunRecord(reportsDir);
  const { events } = record;
  const { why, findings, killed } = explainNoSummary(result, deadlineMs, events);
  const loaded = loadProfile(profile);
  const targetCommand = renderInvocation(loaded, { dir: targetDir }).command;
  const durationMs = Date.now() - started;
  let summary: Summary;
  if (killed && recordsAPhase(events)) {
    // What finished before the kill is judged by the real scenarios, from the record it left.
    const environment = fallbackEnvironment(config);
    summary = await summaryFromRecord({
      config,
      events,
      why,
      findings,
      profileName: loaded.name,
      targetCommand,
      environment,
      durationMs,
    });
  } else {
    summary = fallbackSummary(config, durationMs, why, result.timedOut);
    summary.findings = findings;
    summary.target.command = targetCommand;
    summary.profile = {
      name: loaded.name,
      ...(profile.startsWith('/') ? { path: profile } : {}),
      ...(inferred ? { inferred: true } : {}),
    };
  }
  await writeReports(reportsDir, summary, record);
  return { summary, reportsDir };
}
