import type { EventStream } from '../src/exec/events.js';
import { run } from '../src/exec/run.js';
import type { StepResult } from '../src/model/summary.js';

export interface StepRunOptions {
  step: string;
  phase: string;
  /** Fully rendered argv of each command of the step, in order. */
  commands: string[][];
  timeoutMs: number;
  cwd: string;
  env: Record<string, string>;
  events: EventStream;
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
 * group is killed at the timeout; the lab goes on either way.
 */
/** A step's result, with the whole stdout of its last command (a check records it). */
export type StepOutcome = StepResult & { lastStdout: string };

export async function runStep(options: StepRunOptions): Promise<StepOutcome> {
  const started = Date.now();
  const commands: StepResult['commands'] = [];
  let status: StepResult['status'] = 'ran';
  let message: string | undefined;
  let lastStdout = '';
  for (const argv of options.commands) {
    const result = await run(argv, {
      timeoutMs: options.timeoutMs,
      outputToFiles: true,
      maxOutputBytes: TARGET_OUTPUT_BYTES,
      cwd: options.cwd,
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
      status = 'timeout';
      message = `${result.escapedCommand} did not finish within ${options.timeoutMs} ms and was killed`;
      break;
    }
    if (result.failed) {
      status = 'failed';
      const why =
        result.spawnError ?? (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-1)[0] ?? '';
      message = `${result.escapedCommand} exited with ${result.exitCode ?? result.signal}${why ? `: ${why}` : ''}`;
      break;
    }
  }
  return {
    step: options.step,
    phase: options.phase,
    status,
    commands,
    durationMs: Date.now() - started,
    ...(message ? { message } : {}),
    lastStdout,
  };
}
