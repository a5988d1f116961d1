import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStream } from '../src/exec/events.js';
import { run } from '../src/exec/run.js';
import type { StepResult } from '../src/model/summary.js';
import type { RenderedCommand } from '../src/profiles/render.js';
import { type PortCheck, portAnswers, type StartedDaemon, startDaemon } from './daemon.js';

export type { StartedDaemon };

export interface StepRunOptions {
  step: string;
  phase: string;
  /**
   * Fully rendered argv of each command of the step, in order; a command may
   * carry `allowFail` or `daemon` (src/profiles/render.ts RenderedCommand).
   */
  commands: RenderedCommand[];
  timeoutMs: number;
  cwd: string;
  env: Record<string, string>;
  events: EventStream;
  /** How a daemon's readiness is tested (default: a TCP connect in the namespace that holds the host address). */
  portCheck?: PortCheck;
}

/** `daemons` and `allowedFailures` are there only when not empty: a step without them reads as before. */
export type StepRunResult = StepResult & {
  lastStdout: string;
  /** Daemons started by this step, still running. */
  daemons?: StartedDaemon[];
  /** Commands marked allowFail that failed (the step went on). */
  allowedFailures?: string[];
};

/**
 * The working directory to run in. A `cwd` the setup step creates does not
 * exist before it: setup then runs in the nearest folder above it that does;
 * any other step fails with a message that says so.
 */
function workingDirectory(step: string, cwd: string): { cwd: string } | { missing: string } {
  if (existsSync(cwd) && statSync(cwd).isDirectory()) return { cwd };
  if (step !== 'setup') return { missing: cwd };
  let dir = cwd;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return { cwd: dir };
}

/** Kept of each stream of a target command (start and end): the transcript stays readable when a target prints megabytes. */
export const TARGET_OUTPUT_BYTES = 128 * 1024;

/** The start and the end of a long text (a CLI's error is at its end). */
export function headAndTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n[...]\n${text.slice(-half)}`;
}

/**
 * Run one lab step's commands through the target, each with its own timeout.
 * Output goes to files (a target's daemon may inherit it) and the process
 * group is killed at the timeout; the lab goes on either way. A command
 * marked `allowFail` may fail without stopping the step (recorded in
 * `allowedFailures`); a `daemon` is started, waited for until its port
 * answers, and left running (returned in `daemons`).
 */
/** A step's result, with the whole stdout of its last command (a check records it). */
export type StepOutcome = StepRunResult;

export async function runStep(options: StepRunOptions): Promise<StepRunResult> {
  const started = Date.now();
  const commands: StepResult['commands'] = [];
  const daemons: StartedDaemon[] = [];
  const allowedFailures: string[] = [];
  let status: StepResult['status'] = 'ran';
  let message: string | undefined;
  let lastStdout = '';
  const where = workingDirectory(options.step, options.cwd);
  if ('missing' in where) {
    return {
      step: options.step,
      phase: options.phase,
      status: 'failed',
      commands,
      durationMs: 0,
      message: `the working directory ${where.missing} does not exist (the profile's "cwd"; a folder that "setup" creates must be created there first)`,
      lastStdout,
    };
  }
  for (const argv of options.commands) {
    if (argv.daemon) {
      const outcome = await startDaemon(argv, argv.daemon, {
        cwd: where.cwd,
        env: options.env,
        events: options.events,
        label: `step:${options.step}`,
        portCheck: options.portCheck ?? portAnswers,
      });
      commands.push(outcome.record);
      if (outcome.ok) {
        daemons.push(outcome.daemon);
        continue;
      }
      status = 'failed';
      message = outcome.message;
      break;
    }
    const result = await run(argv, {
      timeoutMs: options.timeoutMs,
      outputToFiles: true,
      maxOutputBytes: TARGET_OUTPUT_BYTES,
      cwd: where.cwd,
      env: options.env,
      events: options.events,
      label: `step:${options.step}`,
    });
    lastStdout = result.stdout;
    commands.push({
      command: result.escapedCommand,
      exitCode: result.exitCode,
      ...(result.signal ? { signal: result.signal } : {}),
      durationMs: result.durationMs,
      stderr: headAndTail(result.stderr || result.stdout, 4000),
    });
    if (result.timedOut) {
      if (argv.allowFail) {
        allowedFailures.push(`${result.escapedCommand} (timed out after ${options.timeoutMs} ms)`);
        continue;
      }
      status = 'timeout';
      message = `${result.escapedCommand} did not finish within ${options.timeoutMs} ms and was killed`;
      break;
    }
    if (result.failed) {
      const why =
        result.spawnError ?? (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-1)[0] ?? '';
      const failure = `${result.escapedCommand} exited with ${result.exitCode ?? result.signal}${why ? `: ${why}` : ''}`;
      if (argv.allowFail) {
        allowedFailures.push(failure);
        options.events.note(`step ${options.step}: ${failure} (allowed to fail: the step goes on)`);
        continue;
      }
      status = 'failed';
      message = failure;
      break;
    }
  }
  if (!message && allowedFailures.length > 0) {
    message = `allowed to fail and failed: ${allowedFailures.join('; ')}`;
  }
  return {
    step: options.step,
    phase: options.phase,
    status,
    commands,
    durationMs: Date.now() - started,
    ...(message ? { message } : {}),
    lastStdout,
    ...(daemons.length > 0 ? { daemons } : {}),
    ...(allowedFailures.length > 0 ? { allowedFailures } : {}),
  };
}
