import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../src/exec/index.js';
import type { Summary } from '../src/model/summary.js';
import { distPath } from '../src/util/paths.js';
import { childrenCpuMs } from './cpu.js';

/** One full verification of the reference, split by where its time went (all ms). */
export interface VerifySample {
  verdict: 'pass' | 'fail';
  /** Wall time of `vpc-verify` as a user runs it (CLI start-up to exit). */
  wallMs: number;
  /** summary.durationMs: the run's own clock, start to summary. */
  runMs: number;
  /** Inside the target's own commands. */
  targetMs: number;
  targetCommands: number;
  /** Probe matrices per phase (wall). */
  probesMs: Record<string, number>;
  /** The lab minus the target's commands and the probes: discovery, listeners, snapshots, settling, checks. */
  labRestMs: number;
  /** vitest start-up and the scenarios (inside the sandbox). */
  scenariosMs: number;
  reportsMs: number;
  /** Everything outside lab, scenarios and reports: CLI and harness start-up, doctor, sandbox set-up. */
  outsideMs: number;
  /** Parts of outsideMs, from the transcript's timestamps (undefined when it has none). */
  startup: StartupSplit | undefined;
  /** wall - targetMs: what the harness adds to the target's own time. */
  overheadMs: number;
  /** CPU (user + system) of every process of the run, target's included; undefined off Linux. */
  cpuMs: number | undefined;
  reportsDir: string;
}

export interface StartupSplit {
  /** CLI start-up, input checks, doctor, host settings: until the sandbox's first command. */
  beforeSandboxMs: number;
  /** The sandbox's own set-up commands (pid1.sh: mounts, uplink, internet host's namespace, start state). */
  sandboxSetupMs: number;
  /** From the sandbox being ready to the harness's first command: internet host, Node start of the harness, imports. */
  harnessStartMs: number;
}

const RECORD = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) #(\d+) (START|END) /;
/** pid1.sh numbers its own records from here (lab/sandbox/pid1.sh). */
const SANDBOX_IDS = 9_000_000;

/** Where the time before the lab went, from the transcript's record times and the wall clock at the CLI's start. */
export function startupSplit(transcript: string, wallStartEpochMs: number): StartupSplit | undefined {
  let firstSandbox: number | undefined;
  let lastSandbox: number | undefined;
  let firstHarness: number | undefined;
  for (const line of transcript.split('\n')) {
    const m = RECORD.exec(line);
    if (!m) continue;
    const at = Date.parse(m[1] as string);
    if (Number(m[2]) >= SANDBOX_IDS) {
      firstSandbox ??= at;
      lastSandbox = at;
    } else if (m[3] === 'START') {
      firstHarness ??= at;
    }
  }
  if (firstSandbox === undefined || lastSandbox === undefined || firstHarness === undefined) return undefined;
  return {
    beforeSandboxMs: firstSandbox - wallStartEpochMs,
    sandboxSetupMs: lastSandbox - firstSandbox,
    harnessStartMs: firstHarness - lastSandbox,
  };
}

/** The split of one run, from its summary and the wall time measured around it. */
export function splitOf(
  summary: Summary,
  wallMs: number,
  startup?: StartupSplit,
): Omit<VerifySample, 'reportsDir' | 'cpuMs'> {
  const t = summary.timings;
  if (!t) throw new Error(`summary ${summary.runId} has no timings (built before timings existed?)`);
  const probesTotal = Object.values(t.probesMs).reduce((a, b) => a + b, 0);
  const targetCommands = summary.phases.flatMap((p) => p.steps).flatMap((s) => s.commands).length;
  return {
    verdict: summary.verdict,
    wallMs,
    runMs: summary.durationMs,
    targetMs: t.targetMs,
    targetCommands,
    probesMs: { ...t.probesMs },
    labRestMs: t.labMs - t.targetMs - probesTotal,
    scenariosMs: t.scenariosMs,
    reportsMs: t.reportsMs,
    outsideMs: wallMs - t.labMs - t.scenariosMs - t.reportsMs,
    startup,
    overheadMs: wallMs - t.targetMs,
  };
}

/** Runs the vpc-verify CLI on the reference (as `npm start` does) into `outDir`. */
export async function measureVerify(outDir: string): Promise<VerifySample> {
  mkdirSync(outDir, { recursive: true });
  const cpuBefore = childrenCpuMs();
  const startedEpoch = Date.now();
  const started = performance.now();
  const result = await run([process.execPath, distPath('src/verify/main.js'), '--out', outDir], {
    timeoutMs: 10 * 60_000,
    label: 'bench:verify',
  });
  const wallMs = performance.now() - started;
  const cpuAfter = childrenCpuMs();
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  const runs = readdirSync(outDir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const runDir = runs.length === 1 && runs[0] ? join(outDir, runs[0].name) : undefined;
  if (!runDir) {
    throw new Error(
      `vpc-verify left no single run folder in ${outDir} (exit ${result.exitCode ?? result.signal}): ${result.stderr.slice(-500)}`,
    );
  }
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
  const transcriptPath = join(runDir, 'transcript.log');
  const startup = existsSync(transcriptPath)
    ? startupSplit(readFileSync(transcriptPath, 'utf8'), startedEpoch)
    : undefined;
  return { ...splitOf(summary, wallMs, startup), cpuMs, reportsDir: runDir };
}
