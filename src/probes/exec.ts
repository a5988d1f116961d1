import { type RunOptions, run } from '../exec/index.js';
import type { CommandResult } from '../exec/types.js';

/** How probes run a command; tests pass a fake, the lab the real `run`. */
export type ProbeExec = (argv: readonly string[], options: RunOptions) => Promise<CommandResult>;

export const defaultExec: ProbeExec = run;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
