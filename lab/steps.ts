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

/**
 * Run one lab step's commands through the target, each with its own timeout.
 * Output goes to files (a target's daemon may inherit it) and the process
 * group is killed at the timeout; the lab goes on either way.
 */
export async function runStep(options: StepRunOptions): Promise<StepResult & { lastStdout: string }> {
  const started = Date.now();
  const commands: StepResult['commands'] = [];
  let status: StepResult['status'] = 'ran';
  let message: string | undefined;
  let lastStdout = '';
  for (const argv of options.commands) {
    const result = await run(argv, {
      timeoutMs: options.timeoutMs,
      outputToFiles: true,
      cwd: options.cwd,
      env: options.env,
      events: options.events,
      label: `step:${options.step}`,
    });
    lastStdout = result.stdout;
    commands.push({
      command: result.escapedCommand,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      stderr: (result.stderr || result.stdout).slice(0, 4000),
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
