import type { Candidate } from './candidates.js';
import type { InitStep } from './vocabulary.js';

/** What the host hands the driver inside the sandbox (as a JSON file). */
export interface DriverInvocation {
  /** argv prefix with `{dir}` filled in. */
  command: string[];
  env: Record<string, string>;
  dir: string;
  timeoutMs: number;
}

export interface HelpPlan {
  mode: 'help';
  invocation: DriverInvocation;
  /** Command words known from the source; more are read from the top-level help. */
  words: string[][];
  progNames: string[];
}

export interface TrialPlan {
  mode: 'trial';
  invocation: DriverInvocation;
  candidates: Partial<Record<InitStep, Candidate[]>>;
}

export type DriverPlan = HelpPlan | TrialPlan;

export interface HelpText {
  argv: string[];
  exitCode: number | null;
  output: string;
}

export interface HelpReport {
  top: HelpText[];
  commands: { words: string[]; help: HelpText }[];
}

/** One candidate as tried: how it ran and what the kernel showed. */
export interface Trial {
  index: number;
  argv: string[][];
  exitCode: number | null;
  timedOut: boolean;
  effect: boolean;
  detail: string;
  output: string;
}

/** The driver's finding for one step. */
export interface StepFinding {
  /** `proved`: a candidate's effect was seen; `nothing`: another step already does it; `harness`; `unsupported`. */
  outcome: 'proved' | 'nothing' | 'harness' | 'unsupported';
  /** The chosen candidate per subnet type for addSubnet, else `all`. */
  chosen?: { all?: number; public?: number | 'nothing'; private?: number | 'nothing' };
  reason: string;
  trials: Trial[];
}

export interface TrialReport {
  steps: Partial<Record<InitStep, StepFinding>>;
  /** `br-{vpc}` etc.: the bridge that holds a VPC's gateway, with the VPC's name made a placeholder. */
  bridgeName?: string;
  durationMs: number;
}
