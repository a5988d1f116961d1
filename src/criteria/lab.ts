import type { ExpectStatic } from 'vitest';
import type {
  CommandCheck,
  DiscoveredSubnet,
  PhaseEvidence,
  PhaseId,
  ProbeSpec,
  Snapshot,
} from '../model/evidence.js';
import type { Expectation, ProbeResult } from '../model/probe.js';
import type { StepResult } from '../model/summary.js';
import { placedProbes, stageById } from '../plan/lookup.js';
import type { LabPlan, PlacedProbe } from '../plan/types.js';
import { type Context, isUnsupported, phaseEvidence } from '../verdict/context.js';
import type { Part } from '../verdict/part.js';
import type { CriterionDefinition } from './define.js';
import type {} from './matchers/index.js';

/**
 * What a criterion's assertions read (docs/architecture.md "Criteria: one
 * file each"): the lab's recorded evidence, seen from one criterion. Each
 * view is something a matcher judges (`expect.soft(probe).toConnect()`); the
 * matcher records its judged parts here, so the reporter can name the most
 * telling one as the criterion's reason.
 */

export const VIEW = Symbol.for('vpc-acceptance.criterion-view');

interface View<K extends string> {
  readonly [VIEW]: K;
  readonly lab: CriterionLab;
}

export class CriterionLab implements View<'lab'> {
  readonly [VIEW] = 'lab' as const;
  readonly lab = this;
  /** Everything judged so far, in order. */
  readonly judged: Part[] = [];

  constructor(
    readonly ctx: Context,
    readonly criterion: CriterionDefinition,
  ) {}

  get plan(): LabPlan {
    return this.ctx.plan;
  }

  record(parts: readonly Part[]): void {
    this.judged.push(...parts);
  }

  allPassedSoFar(): boolean {
    return this.judged.every((p) => p.status === 'passed');
  }

  /** The profile does not support the step (`null`). */
  unsupported(step: string): boolean {
    return isUnsupported(this.ctx, step);
  }

  /** Something was built in some phase (a subnet of the plan was found). */
  get builtSomething(): boolean {
    return this.ctx.evidence.phases.some((p) => p.discovery.some((d) => d.netns !== undefined));
  }

  phase(id: PhaseId): PhaseView {
    return new PhaseView(this, id);
  }

  /** The criterion's phases, in its order. */
  phases(): PhaseView[] {
    return this.criterion.phases.map((id) => this.phase(id));
  }

  /**
   * The criterion's probes that can be read, phase by phase: for each of its
   * phases with probes, asserts that it was reached and that the subnets its
   * probes need were found, then yields those probes (none when it is not
   * ready). `include` leaves phases out.
   */
  *probesToJudge(
    expect: ExpectStatic,
    include: (phase: ProbePhaseView) => boolean = () => true,
  ): Generator<ProbeView> {
    for (const phase of this.probePhases()) {
      if (!include(phase)) continue;
      expect.soft(phase).toHaveBeenReached();
      expect.soft(phase).toHaveFoundItsSubnets();
      yield* phase.probes;
    }
  }

  /** The criterion's phases that hold probes of it, each with those probes (in plan order). */
  probePhases(): ProbePhaseView[] {
    const mine = placedProbes(this.plan).filter((p) => p.spec.criteria.includes(this.criterion.id));
    return this.criterion.phases
      .map(
        (id) =>
          new ProbePhaseView(
            this,
            id,
            mine.filter((p) => p.phase === id),
          ),
      )
      .filter((phase) => phase.specs.length > 0);
  }
}

export class PhaseView implements View<'phase'> {
  readonly [VIEW] = 'phase' as const;
  readonly evidence: PhaseEvidence | undefined;

  constructor(
    readonly lab: CriterionLab,
    readonly id: PhaseId,
  ) {
    this.evidence = phaseEvidence(lab.ctx, id);
  }

  get reached(): boolean {
    return this.evidence?.reached === true;
  }

  /** Subnets the plan's stages of this phase expect to exist, in order. */
  get expectedSubnets(): string[] {
    const stages = this.lab.plan.phases.find((p) => p.id === this.id)?.stages ?? [];
    return [...new Set(stages.flatMap((s) => s.expectSubnets))];
  }

  subnet(key: string): SubnetView {
    return new SubnetView(
      this,
      key,
      this.evidence?.discovery.find((d) => d.key === key),
    );
  }

  /** The phase's command checks that are evidence for this criterion. */
  get checks(): CheckView[] {
    const evidence = this.evidence;
    if (!evidence) return [];
    return evidence.checks
      .filter((c) => criterionOfCheck(c, evidence) === this.lab.criterion.id)
      .map((c) => new CheckView(this, c));
  }

  /** The phase's recorded runs of a lab step. */
  steps(step: string): StepResult[] {
    return (this.evidence?.steps ?? []).filter((s) => s.step === step);
  }

  /** The snapshots before phase 1 and after this phase (teardown), when both were taken. */
  get snapshots(): { before: Snapshot; after: Snapshot } | undefined {
    const before = this.evidence?.snapshotBefore;
    const after = this.evidence?.snapshotAfter;
    return before && after ? { before, after } : undefined;
  }

  /** What the run left behind: the snapshot after this phase against the one before phase 1. */
  get leftovers(): LeftoversView {
    return new LeftoversView(this);
  }

  /** The simulated internet host, as this phase's probes left it. */
  get internetHost(): InternetHostView {
    return new InternetHostView(this);
  }
}

/** Which criterion a check is evidence for (the plan step's `check.criterion`; older evidence: by its kind). */
function criterionOfCheck(check: CommandCheck, phase: PhaseEvidence): string {
  if (check.criterion) return check.criterion;
  if (check.want === 'reject') return 'rejects-bad-input';
  return phase.phase === 'inspect' ? 'inspect-works' : 'idempotent-create';
}

export class ProbePhaseView extends PhaseView {
  constructor(
    lab: CriterionLab,
    id: PhaseId,
    /** This criterion's probes in the phase, in plan order. */
    readonly specs: PlacedProbe[],
  ) {
    super(lab, id);
  }

  /** The subnets these probes run from or to (the internet host is not a subnet). */
  get subnetKeys(): string[] {
    const internet = this.lab.plan.internet.label;
    return [...new Set(this.specs.flatMap((p) => [p.spec.from, p.spec.to]))].filter(
      (k) => k !== 'internet' && k !== internet,
    );
  }

  /** Reached, and every subnet its probes need was found: the probes can be read. */
  get ready(): boolean {
    const evidence = this.evidence;
    if (!evidence?.reached) return false;
    return this.subnetKeys.every((key) => {
      const found = evidence.discovery.find((d) => d.key === key);
      return found?.netns !== undefined && found.address !== undefined;
    });
  }

  /** The probes to judge: none until the phase is ready. */
  get probes(): ProbeView[] {
    const evidence = this.evidence;
    if (!evidence || !this.ready) return [];
    return this.specs.map(
      (placed) =>
        new ProbeView(
          this,
          evidence,
          placed,
          evidence.probes.find((p) => p.id === placed.spec.id),
          this.specs,
        ),
    );
  }
}

/**
 * A positive control of a "must be blocked" probe, with its result if it ran:
 * `source`, a control from the same source (that source is alive), or `path`,
 * one of its path controls (the same kind of path carries traffic).
 */
export interface ControlView {
  spec: ProbeSpec;
  result: ProbeResult | undefined;
  role: 'source' | 'path';
}

export class ProbeView implements View<'probe'> {
  readonly [VIEW] = 'probe' as const;
  readonly lab: CriterionLab;

  constructor(
    readonly phase: ProbePhaseView,
    readonly evidence: PhaseEvidence,
    readonly placed: PlacedProbe,
    /** Undefined: the harness recorded no result (or the deadline cut it short). */
    readonly result: ProbeResult | undefined,
    private readonly siblings: readonly PlacedProbe[],
  ) {
    this.lab = phase.lab;
  }

  get id(): string {
    return this.placed.spec.id;
  }

  get expected(): Expectation {
    return this.placed.spec.expected;
  }

  /** An observation tried once: what it saw is reported (a finding), never judged by itself. */
  get once(): boolean {
    return this.placed.spec.once === true;
  }

  /**
   * Judged as a positive control: a control of the plan that guards a "must
   * be blocked" probe of this criterion from the same source in the same stage.
   */
  get asControl(): boolean {
    return (
      this.placed.spec.control &&
      this.siblings.some(
        (o) =>
          o.stage === this.placed.stage &&
          o.spec.expected === 'blocked' &&
          o.spec.from === this.placed.spec.from,
      )
    );
  }

  /**
   * Every positive control of the plan from the same source in the same stage
   * (any criterion's), then the probe's own path controls (`ProbeSpec.path`).
   */
  get controls(): ControlView[] {
    const specs = stageById(this.lab.plan, this.placed.stage)?.stage.probes ?? [];
    const view = (spec: ProbeSpec, role: ControlView['role']): ControlView => ({
      spec,
      result: this.evidence.probes.find((p) => p.id === spec.id),
      role,
    });
    const path = this.placed.spec.path?.controls ?? [];
    return [
      ...specs.filter((s) => s.control && s.from === this.placed.spec.from).map((s) => view(s, 'source')),
      ...path.flatMap((id) => specs.filter((s) => s.id === id)).map((s) => view(s, 'path')),
    ];
  }
}

export class SubnetView implements View<'subnet'> {
  readonly [VIEW] = 'subnet' as const;
  readonly lab: CriterionLab;

  constructor(
    readonly phase: PhaseView,
    readonly key: string,
    /** Undefined: the harness recorded no discovery of it. */
    readonly discovered: DiscoveredSubnet | undefined,
  ) {
    this.lab = phase.lab;
  }
}

export class CheckView implements View<'check'> {
  readonly [VIEW] = 'check' as const;
  readonly lab: CriterionLab;

  constructor(
    readonly phase: PhaseView,
    readonly check: CommandCheck,
  ) {
    this.lab = phase.lab;
  }
}

export class LeftoversView implements View<'leftovers'> {
  readonly [VIEW] = 'leftovers' as const;
  readonly lab: CriterionLab;

  constructor(readonly phase: PhaseView) {
    this.lab = phase.lab;
  }
}

export class InternetHostView implements View<'internet'> {
  readonly [VIEW] = 'internet' as const;
  readonly lab: CriterionLab;

  constructor(readonly phase: PhaseView) {
    this.lab = phase.lab;
  }
}

export type AnyView =
  | CriterionLab
  | PhaseView
  | ProbeView
  | SubnetView
  | CheckView
  | LeftoversView
  | InternetHostView;

/** The view `value` is, when it is the kind a matcher needs; a TypeError names what it got otherwise. */
export function viewOf<K extends AnyView[typeof VIEW]>(
  value: unknown,
  kind: K,
  matcher: string,
  hint: string,
): Extract<AnyView, { [VIEW]: K }> {
  const got = typeof value === 'object' && value !== null ? (value as { [VIEW]?: string })[VIEW] : undefined;
  if (got !== kind) {
    throw new TypeError(`${matcher}() judges ${hint}, not ${got ? `a ${got} view` : typeof value}`);
  }
  return value as Extract<AnyView, { [VIEW]: K }>;
}
