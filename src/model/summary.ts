import type { CriterionId, CriterionStatus } from './criteria.js';
import type { ProbeResult, TruthTable } from './probe.js';

export interface CriterionResult {
  id: CriterionId;
  status: CriterionStatus;
  /** One line: why it passed, failed, errored or did not run. */
  message: string;
  advisory: boolean;
  /** The phase whose evidence decided it. */
  phase: string;
  probes: ProbeResult[];
}

export interface StepResult {
  /** Lab step name from the profile (`createVpc`, `addSubnet`, ...). */
  step: string;
  phase: string;
  /** `ran` (exit 0), `failed`, `timeout`, `unsupported` (profile step null), `harness`, `skipped`. */
  status: 'ran' | 'failed' | 'timeout' | 'unsupported' | 'harness' | 'skipped';
  /** `signal`: what killed the command (SIGSEGV, SIGKILL at a timeout...), when one did. */
  commands: {
    command: string;
    exitCode: number | undefined;
    signal?: string;
    durationMs: number;
    stderr: string;
  }[];
  durationMs: number;
  message?: string;
  /** Commands marked daemon (profile), started and left running until the teardown. */
  daemons?: { pid: number; command: string; port: number; host: string; netns?: string }[];
  /** Commands marked allowFail (profile) that failed; the step went on. */
  allowedFailures?: string[];
}

export interface Finding {
  /** Stable id: `settle-stall`, `unnatted-wan-leak`, `leftover-process`, `start-state-dependent`, ... */
  id: string;
  severity: 'warning' | 'info';
  message: string;
  phase?: string;
}

export interface PhaseRecord {
  id: string;
  title: string;
  steps: StepResult[];
  truthTables: TruthTable[];
  /** Time from the last step to every positive control succeeding (ms). */
  settleMs?: number;
  durationMs: number;
}

export interface Environment {
  kernel: string;
  iptablesBackend: string;
  node: string;
  startState: { name: string; ipForward: number; forwardPolicy: string; [key: string]: unknown };
  host: { ipForward?: number; forwardPolicy?: string; brNetfilter?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

/** A subnet of the lab plan, with what discovery found for it (for the topology picture). */
export interface TopologySubnet {
  /** `vpc1/publicsub` */
  key: string;
  name: string;
  cidr: string;
  type: 'public' | 'private';
  /** Discovered by address, never by the target's naming (undefined: not found). */
  netns?: string;
  address?: string;
  gateway?: string;
  problem?: string;
}

export interface TopologyVpc {
  name: string;
  cidr: string;
  subnets: TopologySubnet[];
}

/** The lab plan as built: the reports draw it. */
export interface Topology {
  vpcs: TopologyVpc[];
  /** VPC name pairs the plan peers (drawn once the peering phase ran). */
  peerings: [string, string][];
}

export interface Timings {
  /** The whole lab: steps, discovery, probes, snapshots. */
  labMs: number;
  /** Inside the target's own commands (sum of step durations). */
  targetMs: number;
  /** Probe matrices, per phase (wall time). */
  probesMs: Record<string, number>;
  /** vitest start-up and the scenarios. */
  scenariosMs: number;
  /** Writing junit.xml, summary.json, report.html and the transcript (summary.json is written again with it). */
  reportsMs: number;
}

export interface Summary {
  schemaVersion: 1;
  runId: string;
  target: { dir: string; command: string[]; reference: boolean };
  /** `uplink`: the sandbox's uplink name, when the profile chose one; `inferred`: made by `vpc-verify init` for this run (`--profile auto`), saved at `path`. */
  profile: { name: string; path?: string; uplink?: string; inferred?: boolean };
  startedAt: string;
  durationMs: number;
  verdict: 'pass' | 'fail';
  /** True when the run hit its overall deadline (always a failed run). */
  deadlineHit: boolean;
  criteria: CriterionResult[];
  findings: Finding[];
  phases: PhaseRecord[];
  environment: Environment;
  reportsDir: string;
  /** The plan and the discovered namespaces; reports fall back to the Stage 4 plan when absent. */
  topology?: Topology;
  /** Where the time went (the bench reads these). */
  timings?: Timings;
}
