import type { CriterionId } from '../model/criteria.js';
import type { PhaseId, ProbeSpec } from '../model/evidence.js';
import type { StepName, StepVars } from '../profiles/steps.js';

/**
 * The lab steps a plan asks a profile for. The names are the profiles' own
 * (src/profiles/steps.ts); the plan uses this subset.
 */
export const LAB_STEPS = [
  'setup',
  'createVpc',
  'addSubnet',
  'allowIntraVpc',
  'enableNat',
  'deployHttp',
  'isolateVpcs',
  'peerVpcs',
  'allowCidr',
  'applyPolicy',
  'inspect',
  'teardownSubnet',
  'teardownVpc',
  'teardownAll',
] as const satisfies readonly StepName[];
export type LabStep = (typeof LAB_STEPS)[number];

export type SubnetType = 'public' | 'private';

export interface SubnetPlan {
  /** `vpc1/publicsub`: how probes, discovery and reports refer to the subnet. */
  key: string;
  vpc: string;
  name: string;
  cidr: string;
  type: SubnetType;
  /** Shown in tables: `vpc1 public`. */
  label: string;
}

export interface VpcPlan {
  name: string;
  cidr: string;
  subnets: SubnetPlan[];
}

export interface IngressRule {
  port: number;
  protocol: 'tcp' | 'udp';
  action: 'allow' | 'deny';
}

/** The security-group policy as data; `cidr` is what the seed's JSON calls `subnet`. */
export interface PolicyPlan {
  vpc: string;
  subnet: string;
  cidr: string;
  ingress: IngressRule[];
}

/** Ports the harness's own listener (src/probes/listener.ts) serves in a subnet's namespace. */
export interface ListenerPlan {
  subnet: string;
  ports: number[];
}

/** A command check: the step's outcome is evidence for `criterion`, its failure never stops the phase. */
export interface StepCheck {
  want: 'reject' | 'accept';
  criterion: CriterionId;
  /**
   * A reject check: the placeholders that carry the bad value. When the
   * profile cannot pass any of them to the tool (src/profiles
   * `inexpressibleCheck`), the check is recorded as skipped, not run.
   */
  badVars?: string[];
}

/** A placeholder of step S that a hook may fill. */
export type StepVarName<S extends LabStep> = keyof StepVars<S> & string;

/**
 * Harness work right before a step (docs/architecture.md "The stage runner"),
 * which hands the step one of its values (`into`): what only the running lab
 * knows, such as a discovered address or the path of a file the harness wrote.
 */
export type StepHook<S extends LabStep = LabStep> =
  /** Run discovery for `subnet` and pass its host address (empty when not found). */
  | { kind: 'discover-address'; subnet: string; into: StepVarName<S> }
  /** Write the plan's policy in the profile's format and pass the file's path. */
  | { kind: 'write-policy'; into: StepVarName<S> };

/** One call of profile step S. */
export interface PlannedStepOf<S extends LabStep> {
  step: S;
  /**
   * Placeholder values (names as in the profiles' STEP_PLACEHOLDERS). A value
   * a `before` hook fills is given as FROM_HOOK in the plan.
   */
  vars: StepVars<S>;
  /** What the call does, in words (transcript, reports). */
  title: string;
  /**
   * A check rather than a building step: its outcome is evidence for
   * `check.criterion` (recorded as a CommandCheck with a snapshot diff).
   */
  check?: StepCheck;
  /** A clean-up call (undo a check's VPC): always run, failure only noted. */
  cleanup?: boolean;
  /** Run in order before the step, each filling one of its vars. */
  before?: StepHook<S>[];
}

/** One call of a profile step: a union over the lab steps, so each step's vars are its own. */
export type PlannedStep = { [S in LabStep]: PlannedStepOf<S> }[LabStep];

/** The value of a placeholder that a `before` hook fills in (what the target sees if the hook finds nothing). */
export const FROM_HOOK = '';

/** Harness work around a stage: before its steps, or after its probes. */
export type StageHook =
  /**
   * Stop the harness's listeners and helpers in the namespaces of these VPCs:
   * they would keep the namespaces alive through the VPC's teardown.
   */
  | { kind: 'stop-listeners'; vpcs: string[] }
  /**
   * Wait (bounded) until the sandbox is back to the baseline, then record the
   * baseline and that snapshot as this phase's before/after (no baseline: nothing).
   */
  | { kind: 'settled-snapshot' };

/** Harness work before a phase's stages. */
export type PhaseHook =
  /** Snapshot the sandbox before the lab is built: what teardown must return to. */
  { kind: 'teardown-baseline' };

/**
 * Steps, then a probe matrix. A phase has several stages when it probes
 * between steps (policy: before and after apply; teardown: after vpc1 goes).
 * Positive controls and negative probes pair up within one stage.
 */
export interface StagePlan {
  /** Unique in the plan; probe ids start with it. */
  id: string;
  title: string;
  steps: PlannedStep[];
  /** Subnets that must exist once the steps ran (the harness runs discovery for them). */
  expectSubnets: string[];
  probes: ProbeSpec[];
  /** Before the stage's steps. */
  before?: StageHook[];
  /** After the stage's probes (the deadline does not cut these: they close what the stage did). */
  after?: StageHook[];
}

export interface PhasePlan {
  id: PhaseId;
  title: string;
  stages: StagePlan[];
  /** Before the phase's first stage. */
  before?: PhaseHook[];
  /** Takes the lab down: --keep skips it, so the lab stays standing. */
  tearsDown?: boolean;
}

export interface LabPlan {
  name: string;
  vpcs: VpcPlan[];
  /** The sandbox's uplink: what masqueraded traffic must carry as its source. */
  wan: { interface: string; address: string; gateway: string };
  /** The simulated internet host (ICMP, HTTP on `httpPort`). */
  internet: { address: string; httpPort: number; label: string };
  /** The port the target's own app serves (deployHttp). */
  appPort: number;
  /** The harness listener port for TCP matrices. */
  probePort: number;
  listeners: ListenerPlan[];
  policy: PolicyPlan;
  phases: PhasePlan[];
}

/** Where a probe spec sits in a plan. */
export interface PlacedProbe {
  phase: PhaseId;
  stage: string;
  spec: ProbeSpec;
}
