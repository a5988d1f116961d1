import type { EventStream } from '../../src/exec/events.js';
import type { DiscoveredSubnet, PhaseId, Snapshot } from '../../src/model/evidence.js';
import type { LabPlan } from '../../src/plan/types.js';
import type { StepName } from '../../src/profiles/index.js';
import type { Profile } from '../../src/profiles/types.js';
import type { LabShell } from '../shell.js';
import type { StartedDaemon } from '../steps.js';
import type { LabCollaborators } from './collaborators.js';
import type { LabRecord } from './record.js';

export type LabContext = LabSettings &
  (
    | { $: LabShell; collaborators?: undefined }
    /** Unit tests: a fake target, network and clock instead of the sandbox's (no shell then). */
    | { collaborators: LabCollaborators; $?: undefined }
  );

export interface LabSettings {
  plan: LabPlan;
  profile: Profile;
  /** The target's directory (`{dir}`). */
  targetDir: string;
  /** Prefix + environment + cwd of the target (from the profile). */
  invocationEnv: Record<string, string>;
  /** Private working directory of the target (also where the policy file goes). */
  workdir: string;
  events: EventStream;
  /** Absolute time (ms since epoch) by which the lab must be done. */
  deadline: number;
  stepTimeoutsMs?: Record<string, number>;
  /** How long a "must connect" probe keeps retrying (stalls of 3 to 40 s happen). */
  positiveDeadlineMs?: number;
  /** --keep: leave the lab standing (no teardown phase, listeners left running) for a person to explore. */
  skipTeardown?: boolean;
}

/** Where in the plan a task is. */
export interface Where {
  phase: PhaseId;
  stage: string;
}

/** What the tasks of one run share: the context, the collaborators, the record, what was found so far. */
export class LabSession {
  readonly ctx: LabContext;
  readonly world: LabCollaborators;
  readonly record: LabRecord;
  /** Every planned subnet as last found. */
  discovery: DiscoveredSubnet[] = [];
  readonly unsupported = new Set<string>();
  /**
   * Daemons the target's steps started. Never stopped by the runner: what
   * still runs at the settled snapshot is the tool's leftover (their pids are
   * not the harness's); the sandbox's end kills them with its PID namespace.
   */
  readonly daemons: StartedDaemon[] = [];
  /** The teardown baseline (a phase hook takes it). */
  baseline: Snapshot | undefined;

  constructor(ctx: LabContext, world: LabCollaborators, record: LabRecord) {
    this.ctx = ctx;
    this.world = world;
    this.record = record;
  }

  msLeft(): number {
    return this.ctx.deadline - this.world.clock.now();
  }

  async snapshot(): Promise<Snapshot> {
    const internet = this.world.internet.pid;
    return this.world.snapshot(
      new Set([process.pid, ...(internet ? [internet] : []), ...this.world.listeners.pids]),
    );
  }

  /** Run discovery; the gateways of `keys` are pinged. */
  async discover(keys: readonly string[]): Promise<void> {
    this.discovery = await this.world.discover(keys);
  }

  subnet(key: string): DiscoveredSubnet | undefined {
    return this.discovery.find((d) => d.key === key);
  }

  timeoutFor(step: StepName, rendered: number): number {
    const override = this.ctx.stepTimeoutsMs?.[step] ?? this.ctx.stepTimeoutsMs?.default;
    return Math.max(1, Math.min(override ?? rendered, this.msLeft()));
  }
}
