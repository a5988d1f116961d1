import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGateways, discoverSubnets, type NamespaceState } from '../src/discovery/index.js';
import type { EventStream } from '../src/exec/events.js';
import type {
  CommandCheck,
  DiscoveredSubnet,
  LabEvidence,
  PhaseEvidence,
  PhaseId,
  Snapshot,
} from '../src/model/evidence.js';
import type { Finding, StepResult } from '../src/model/summary.js';
import type { LabPlan, PlannedStep, StagePlan } from '../src/plan/types.js';
import { buildTruthTables, endpointsFrom, runMatrix } from '../src/probes/index.js';
import { renderPolicy, renderStep, type StepName } from '../src/profiles/index.js';
import type { Profile } from '../src/profiles/types.js';
import { addedSince } from '../src/snapshot/added.js';
import { collectNamespaces } from './collect.js';
import { InternetHost } from './internet.js';
import { Listeners } from './listeners.js';
import type { LabShell } from './shell.js';
import { takeSnapshot } from './snapshot.js';
import { headAndTail, runStep } from './steps.js';

export interface LabContext {
  plan: LabPlan;
  profile: Profile;
  /** The target's directory (`{dir}`). */
  targetDir: string;
  /** Prefix + environment + cwd of the target (from the profile). */
  invocationEnv: Record<string, string>;
  /** Private working directory of the target (also where the policy file goes). */
  workdir: string;
  events: EventStream;
  $: LabShell;
  /** Absolute time (ms since epoch) by which the lab must be done. */
  deadline: number;
  stepTimeoutsMs?: Record<string, number>;
  /** How long a "must connect" probe keeps retrying (DESIGN.md: stalls of 3 to 40 s happen). */
  positiveDeadlineMs?: number;
  progress: (line: string) => void;
  /** --keep: leave the lab standing (no teardown phase) for a person to explore. */
  skipTeardown?: boolean;
}

const TEARDOWN_WAIT_MS = 3_000;

function emptyPhase(phase: PhaseId, reached: boolean): PhaseEvidence {
  return {
    phase,
    reached,
    steps: [],
    discovery: [],
    probes: [],
    truthTables: [],
    internetSources: [],
    unnattedPackets: 0,
    settleMs: undefined,
    checks: [],
    durationMs: 0,
  };
}

/**
 * Runs the lab plan through the target, phase by phase and stage by stage:
 * the steps (through the profile), discovery, the harness listeners, the
 * probe matrix. Returns evidence only; judging is src/verdict's job. It never
 * throws for the target's sake: whatever the target does, the run reaches the
 * end (or its deadline) and says what happened.
 */
export class LabRun {
  readonly #ctx: LabContext;
  readonly #listeners: Listeners;
  readonly #internet = new InternetHost();
  readonly #harnessPids: Set<number>;
  #discovery: DiscoveredSubnet[] = [];
  #unsupported = new Set<string>();
  #findings: Finding[] = [];
  #deadlineHit = false;

  constructor(ctx: LabContext) {
    this.#ctx = ctx;
    this.#listeners = new Listeners(ctx.events);
    this.#harnessPids = new Set([process.pid, ...(this.#internet.pid ? [this.#internet.pid] : [])]);
  }

  async run(): Promise<LabEvidence> {
    const phases: PhaseEvidence[] = [];
    let baseline: Snapshot | undefined;
    let harnessError: string | undefined;
    try {
      for (const phase of this.#ctx.plan.phases) {
        if (this.#overDeadline() || (phase.id === 'teardown' && this.#ctx.skipTeardown)) {
          phases.push(emptyPhase(phase.id, false));
          continue;
        }
        if (phase.id === 'vpc1') baseline = await this.#snapshot();
        phases.push(await this.#runPhase(phase.id, phase.stages, baseline));
      }
    } catch (error) {
      harnessError = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.#ctx.events.note(`harness error: ${harnessError}`);
    } finally {
      if (!this.#ctx.skipTeardown) await this.#listeners.stop();
    }
    for (const phase of this.#ctx.plan.phases) {
      if (!phases.some((p) => p.phase === phase.id)) phases.push(emptyPhase(phase.id, false));
    }
    return {
      phases,
      findings: this.#findings,
      unsupportedSteps: [...this.#unsupported],
      deadlineHit: this.#deadlineHit,
      harnessError,
    };
  }

  #overDeadline(): boolean {
    if (Date.now() >= this.#ctx.deadline) this.#deadlineHit = true;
    return this.#deadlineHit;
  }

  async #snapshot(): Promise<Snapshot> {
    return takeSnapshot(this.#ctx.$, new Set([...this.#harnessPids, ...this.#listeners.pids]));
  }

  async #runPhase(id: PhaseId, stages: StagePlan[], baseline: Snapshot | undefined): Promise<PhaseEvidence> {
    const started = Date.now();
    const evidence = emptyPhase(id, true);
    this.#ctx.events.note(`phase ${id} begins`);
    this.#ctx.progress(`phase ${id}`);
    this.#internet.newSources();
    const unnattedBefore = await this.#internet.unnattedPackets(this.#ctx.$);
    for (const stage of stages) {
      if (this.#overDeadline()) break;
      await this.#beforeStage(stage);
      for (const planned of stage.steps) {
        if (this.#overDeadline()) break;
        const { step, check } = await this.#runPlannedStep(id, planned);
        evidence.steps.push(step);
        if (check) evidence.checks.push(check);
      }
      if (stage.expectSubnets.length > 0 || stage.probes.length > 0) {
        await this.#discover(stage.expectSubnets);
        evidence.discovery = this.#discovery.filter((d) => stage.expectSubnets.includes(d.key));
      }
      if (stage.probes.length > 0 && !this.#overDeadline()) {
        await this.#startListeners();
        this.#ctx.progress(`  probing ${stage.title} (${stage.probes.length} probes)`);
        const probesStarted = Date.now();
        const matrix = await runMatrix(stage.probes, endpointsFrom(this.#discovery, this.#ctx.plan), {
          phase: id,
          events: this.#ctx.events,
          positiveDeadlineMs: Math.min(
            this.#ctx.positiveDeadlineMs ?? 45_000,
            Math.max(1_000, this.#ctx.deadline - Date.now()),
          ),
        });
        evidence.probes.push(...matrix.probes);
        evidence.probesMs = (evidence.probesMs ?? 0) + (Date.now() - probesStarted);
        // Long stalls become findings in src/verdict/findings.ts, from the phase's settleMs.
        if (matrix.settleMs !== undefined) {
          evidence.settleMs = Math.max(evidence.settleMs ?? 0, matrix.settleMs);
        }
      }
      if (stage.id === 'teardown-vpc2' && baseline) {
        evidence.snapshotBefore = baseline;
        evidence.snapshotAfter = await this.#settledSnapshot(baseline);
      }
    }
    evidence.truthTables = buildTruthTables(id, evidence.probes, this.#ctx.plan);
    evidence.internetSources = this.#internet.newSources();
    evidence.unnattedPackets = Math.max(
      0,
      (await this.#internet.unnattedPackets(this.#ctx.$)) - unnattedBefore,
    );
    evidence.durationMs = Date.now() - started;
    return evidence;
  }

  /** Listeners keep namespaces alive: stop those in subnets about to be torn down. */
  async #beforeStage(stage: StagePlan): Promise<void> {
    const teardowns = stage.steps
      .filter((s) => s.step === 'teardownVpc' && !s.cleanup)
      .map((s) => String(s.vars.vpc));
    if (teardowns.length === 0) return;
    const doomed = this.#discovery
      .filter((d) => teardowns.includes(d.vpc) && d.netns)
      .map((d) => d.netns as string);
    await this.#listeners.stop(doomed);
    await this.#listeners.stop(doomed.map((n) => `${n}|app`));
  }

  async #discover(keys: string[]): Promise<void> {
    let states: NamespaceState[] = [];
    states = await collectNamespaces(this.#ctx.$);
    const found = discoverSubnets(states, this.#ctx.plan);
    const wanted = found.filter((d) => keys.includes(d.key));
    const checked = await checkGateways(wanted, { events: this.#ctx.events });
    this.#discovery = found.map((d) => checked.find((c) => c.key === d.key) ?? d);
  }

  async #startListeners(): Promise<void> {
    await Promise.all(
      this.#ctx.plan.listeners.map(async (plan) => {
        const subnet = this.#discovery.find((d) => d.key === plan.subnet);
        if (!subnet?.netns || this.#listeners.has(subnet.netns)) return;
        try {
          await this.#listeners.start(subnet.netns, plan.ports);
        } catch (error) {
          // The probes to it will fail and say so; the run goes on.
          this.#ctx.events.note(`listener in ${subnet.netns} did not start: ${String(error)}`);
        }
      }),
    );
  }

  #timeoutFor(step: StepName, rendered: number): number {
    const override = this.#ctx.stepTimeoutsMs?.[step] ?? this.#ctx.stepTimeoutsMs?.default;
    return Math.max(1, Math.min(override ?? rendered, this.#ctx.deadline - Date.now()));
  }

  async #varsFor(planned: PlannedStep): Promise<Record<string, string | number>> {
    const vars: Record<string, string | number> = { ...planned.vars };
    if (planned.step === 'deployHttp') {
      await this.#discover([`${planned.vars.vpc}/${planned.vars.subnet}`]);
      const subnet = this.#discovery.find((d) => d.key === `${planned.vars.vpc}/${planned.vars.subnet}`);
      vars.address = subnet?.address ?? '';
    }
    if (planned.step === 'applyPolicy') {
      const dir = join(this.#ctx.workdir, 'policies');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, this.#ctx.profile.policy.fileName);
      writeFileSync(file, renderPolicy(this.#ctx.profile, this.#ctx.plan.policy));
      this.#ctx.events.note(
        `policy file ${file} written in the profile's format (${this.#ctx.profile.policy.format})`,
      );
      vars.policyFile = file;
    }
    return vars;
  }

  async #runPlannedStep(
    phase: PhaseId,
    planned: PlannedStep,
  ): Promise<{ step: StepResult; check?: CommandCheck }> {
    let vars: Record<string, string | number>;
    try {
      vars = await this.#varsFor(planned);
    } catch (error) {
      // E.g. the policy file cannot be written because the target filled the disk: the step fails, the lab goes on.
      const why = error instanceof Error ? error.message : String(error);
      this.#ctx.events.note(`step ${planned.step}: the harness could not prepare it: ${why}`);
      return {
        step: {
          step: planned.step,
          phase,
          status: 'failed',
          commands: [],
          durationMs: 0,
          message: `the harness could not prepare this step (${planned.title}): ${why}`,
        },
      };
    }
    const rendered = renderStep(this.#ctx.profile, planned.step as StepName, vars as never, {
      dir: this.#ctx.targetDir,
    });
    this.#ctx.progress(`  ${planned.title}`);
    this.#ctx.events.note(`step ${planned.step}: ${planned.title}`);
    if (rendered.kind === 'unsupported') {
      if (!planned.check && !planned.cleanup) this.#unsupported.add(planned.step);
      return {
        step: {
          step: planned.step,
          phase,
          status: 'unsupported',
          commands: [],
          durationMs: 0,
          message: rendered.reason,
        },
      };
    }
    if (rendered.kind === 'nothing') {
      return {
        step: {
          step: planned.step,
          phase,
          status: 'skipped',
          commands: [],
          durationMs: 0,
          message: 'nothing to do: the profile says another step already did it ([])',
        },
      };
    }
    if (rendered.kind === 'harness') {
      return { step: await this.#harnessDeploy(phase, planned, vars) };
    }
    const before = planned.check ? await this.#snapshot() : undefined;
    const { lastStdout, ...step } = await runStep({
      step: planned.step,
      phase,
      commands: rendered.commands,
      timeoutMs: this.#timeoutFor(planned.step as StepName, rendered.timeoutMs),
      cwd: this.#ctx.profile.cwd ?? this.#ctx.workdir,
      env: this.#ctx.invocationEnv,
      events: this.#ctx.events,
    });
    if (!planned.check || !before) return { step };
    const after = await this.#snapshot();
    const last = step.commands.at(-1);
    return {
      step,
      check: {
        title: planned.title,
        command: step.commands.map((c) => c.command).join(' && '),
        exitCode: step.status === 'timeout' ? undefined : last?.exitCode,
        stdout: headAndTail(lastStdout, 20_000),
        stderr: last?.stderr ?? '',
        leftBehind: addedSince(before, after),
        want: planned.check.want,
        criterion: planned.check.criterion,
      },
    };
  }

  /** `"harness"` deployHttp: the harness serves HTTP in the discovered subnet itself. */
  async #harnessDeploy(
    phase: PhaseId,
    planned: PlannedStep,
    vars: Record<string, string | number>,
  ): Promise<StepResult> {
    const started = Date.now();
    const subnet = this.#discovery.find((d) => d.key === `${planned.vars.vpc}/${planned.vars.subnet}`);
    if (!subnet?.netns) {
      return {
        step: planned.step,
        phase,
        status: 'failed',
        commands: [],
        durationMs: 0,
        message: `harness deploy: subnet ${planned.vars.vpc}/${planned.vars.subnet} was not found`,
      };
    }
    try {
      const listener = await this.#listeners.start(subnet.netns, [Number(vars.port)], `${subnet.netns}|app`);
      return {
        step: planned.step,
        phase,
        status: 'harness',
        commands: [{ command: listener.command, exitCode: 0, durationMs: Date.now() - started, stderr: '' }],
        durationMs: Date.now() - started,
        message: 'the profile asks the harness to serve HTTP (the target has no deploy command)',
      };
    } catch (error) {
      return {
        step: planned.step,
        phase,
        status: 'failed',
        commands: [],
        durationMs: Date.now() - started,
        message: `harness deploy failed: ${String(error)}`,
      };
    }
  }

  /** Namespace deletion is asynchronous: wait (bounded) until the sandbox is back to the baseline. */
  async #settledSnapshot(baseline: Snapshot): Promise<Snapshot> {
    const until = Date.now() + TEARDOWN_WAIT_MS;
    let snapshot = await this.#snapshot();
    while (addedSince(baseline, snapshot).length > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      snapshot = await this.#snapshot();
    }
    return snapshot;
  }
}
