import type { CriterionId } from '../model/criteria.js';
import type { PhaseId, ProbeSpec } from '../model/evidence.js';

/**
 * The lab steps a plan asks a profile for. The names are the profiles' own
 * (src/profiles/steps.ts); the plan uses this subset.
 */
export const LAB_STEPS = [
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
  'teardownVpc',
] as const;
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

export type StepVars = Record<string, string | number>;

/** One call of a profile step. */
export interface PlannedStep {
  step: LabStep;
  /** Placeholder values (names as in the profiles' STEP_PLACEHOLDERS). */
  vars: StepVars;
  /** What the call does, in words (transcript, reports). */
  title: string;
  /**
   * A check rather than a building step: its outcome is evidence for
   * `criterion` (recorded as a CommandCheck with a snapshot diff), and its
   * failure never stops the phase.
   */
  check?: { want: 'reject' | 'accept'; criterion: CriterionId };
  /** A clean-up call (undo a check's VPC): always run, failure only noted. */
  cleanup?: boolean;
}

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
}

export interface PhasePlan {
  id: PhaseId;
  title: string;
  stages: StagePlan[];
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
