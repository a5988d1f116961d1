import type { CriterionId } from './criteria.js';
import type { Expectation, ProbeKind, ProbeResult, TruthTable } from './probe.js';
import type { Finding, StepResult } from './summary.js';

/**
 * The lab runner (lab/) produces evidence; the verdict logic (src/verdict/)
 * turns evidence into criterion results. Nothing in between runs commands.
 */

export type PhaseId = 'bad-input' | 'vpc1' | 'vpc2' | 'peering' | 'policy' | 'inspect' | 'teardown';

/** A subnet as found in the sandbox by its addresses, never by the target's names. */
export interface DiscoveredSubnet {
  /** `vpc1/publicsub` */
  key: string;
  vpc: string;
  name: string;
  cidr: string;
  /** The namespace that holds an address inside the CIDR (undefined: not found). */
  netns: string | undefined;
  address: string | undefined;
  /** Default route's gateway inside that namespace. */
  gateway: string | undefined;
  /** Whether the gateway answered a ping from the namespace. */
  gatewayAnswers: boolean;
  /** Why it could not be found or is incomplete. */
  problem: string | undefined;
}

/** One probe the plan asks for in a phase (before it is run). */
export interface ProbeSpec {
  id: string;
  kind: ProbeKind;
  /** Subnet key of the source. */
  from: string;
  /** Subnet key of the destination, or `internet` for 198.51.100.10. */
  to: string;
  port?: number;
  expected: Expectation;
  /** Positive controls run first; negative probes count only after every control from the same source passed. */
  control: boolean;
  /**
   * A "must be blocked" probe's path controls: it counts only when one of
   * them (must-connect probes of its stage) connected, proving the same kind
   * of path carries traffic (docs/profiles.md "Positive controls").
   */
  path?: PathControls;
  /**
   * A must-connect probe tried once, without the settle wait: an observation
   * (what held before a step) that fails no criterion by itself.
   */
  once?: boolean;
  /** The criteria this probe is evidence for. */
  criteria: CriterionId[];
}

export interface PathControls {
  /** What it means when none of them connected, e.g. `nothing in vpc1 reaches the internet host`. */
  unproven: string;
  /** Ids of must-connect probes of the same stage. */
  controls: string[];
}

/** A state snapshot of the sandbox's root namespace and every named namespace (for teardown checks). */
export interface Snapshot {
  netns: string[];
  links: string[];
  addresses: string[];
  routes: string[];
  /** Normalised rules and user chains (`*nat -A POSTROUTING ...`, `*filter :VPCCTL -`), without counters. */
  rules: string[];
  /** Built-in chain policies (`*filter FORWARD DROP`): a changed policy is reported, not a leftover rule. */
  policies: string[];
  /** Command lines of processes the harness did not start (pid not kept: it differs run to run). */
  processes: string[];
}

export interface CommandCheck {
  /** What was tried, e.g. `create-vpc with CIDR 10.0.0.0/33`. */
  title: string;
  command: string;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Whether anything changed in the sandbox (snapshot differs). */
  leftBehind: string[];
  /** What the check wanted: a failure (bad input) or a success (idempotent create, inspect). */
  want: 'reject' | 'accept';
  /** The criterion it is evidence for (the plan step's `check.criterion`). */
  criterion?: CriterionId;
  /** Not run: why the profile cannot put this check to the tool (neutral for its criterion). */
  skipped?: string;
}

export interface PhaseEvidence {
  phase: PhaseId;
  /** False when the phase was not reached (an earlier fatal problem, or the deadline). */
  reached: boolean;
  /**
   * The phase began but its end was never recorded (the harness was killed
   * during it): it holds what was recorded until then, and nothing it would
   * have decided can be trusted as a pass.
   */
  interrupted?: boolean;
  steps: StepResult[];
  discovery: DiscoveredSubnet[];
  probes: ProbeResult[];
  truthTables: TruthTable[];
  /** Source addresses the internet host recorded during this phase's probes. */
  internetSources: string[];
  /** Packets from private (10/8) sources that reached the internet namespace un-NATed during the phase. */
  unnattedPackets: number;
  /** ms from the end of the phase's steps until every positive control passed (undefined: never). */
  settleMs: number | undefined;
  checks: CommandCheck[];
  /** Wall time of the phase's probe matrices (ms). */
  probesMs?: number;
  snapshotBefore?: Snapshot;
  snapshotAfter?: Snapshot;
  durationMs: number;
}

export interface LabEvidence {
  phases: PhaseEvidence[];
  findings: Finding[];
  /** Profile steps that are `null` (unsupported), with the criteria that then cannot run. */
  unsupportedSteps: string[];
  deadlineHit: boolean;
  /** Set when the harness itself broke (not the target): criteria become `error`. */
  harnessError: string | undefined;
}
