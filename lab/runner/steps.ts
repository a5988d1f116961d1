import type { CommandCheck } from '../../src/model/evidence.js';
import type { StepResult } from '../../src/model/summary.js';
import type { LabStep, PlannedStep, PlannedStepOf } from '../../src/plan/types.js';
import {
  inexpressibleCheck,
  isOptionalStep,
  type RenderedStep,
  renderInvocation,
  renderStep,
  type StepVars,
} from '../../src/profiles/index.js';
import { addedSince } from '../../src/snapshot/added.js';
import { headAndTail } from '../steps.js';
import { runStepHook } from './hooks.js';
import type { LabSession, Where } from './session.js';

type Prepared<S extends LabStep> = { ok: true; vars: StepVars<S> } | { ok: false; why: string };

/** The step's vars with what its hooks found; a hook that throws makes the step fail, not the run. */
async function prepare<S extends LabStep>(
  session: LabSession,
  planned: PlannedStepOf<S>,
): Promise<Prepared<S>> {
  let vars = planned.vars;
  try {
    for (const hook of planned.before ?? [])
      vars = { ...vars, [hook.into]: await runStepHook(session, hook) };
  } catch (error) {
    // E.g. the policy file cannot be written because the target filled the disk.
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, vars };
}

async function prepareAndRender<S extends LabStep>(
  session: LabSession,
  planned: PlannedStepOf<S>,
): Promise<{ ok: true; rendered: RenderedStep } | { ok: false; why: string }> {
  const prepared = await prepare(session, planned);
  if (!prepared.ok) return prepared;
  const { profile, targetDir } = session.ctx;
  return { ok: true, rendered: renderStep(profile, planned.step, prepared.vars, { dir: targetDir }) };
}

/**
 * A clean-up after a bad-input check, for a tool with no per-VPC teardown
 * (`teardownVpc: null`): its global `teardownAll` does the clean-up instead,
 * so an accepted bad input is still removed before the lab starts.
 */
function cleanupStandIn(session: LabSession, planned: PlannedStep): PlannedStep {
  const { steps } = session.ctx.profile;
  if (!planned.cleanup || planned.step !== 'teardownVpc' || steps.teardownVpc !== null) return planned;
  const all = steps.teardownAll;
  if (all === null || (Array.isArray(all) && all.length === 0)) return planned;
  return {
    step: 'teardownAll',
    vars: {},
    title: `${planned.title} (teardownAll: the tool has no teardownVpc)`,
    cleanup: true,
  };
}

function noCommands(
  where: Where,
  planned: PlannedStep,
  status: StepResult['status'],
  message: string,
): StepResult {
  return { step: planned.step, phase: where.phase, status, commands: [], durationMs: 0, message };
}

/** Run one planned step through the profile and record it (and its check). */
export async function runPlannedStep(
  session: LabSession,
  where: Where,
  asPlanned: PlannedStep,
): Promise<void> {
  const planned = cleanupStandIn(session, asPlanned);
  const outcome = await stepOutcome(session, where, planned);
  if (!outcome) return;
  const { step, check } = outcome;
  session.record.step(where.phase, where.stage, planned.title, step);
  if (check) session.record.check(where.phase, where.stage, check);
}

/** A reject check the profile cannot express: recorded as skipped with the reason, never run. */
function inexpressible(
  session: LabSession,
  where: Where,
  planned: PlannedStep,
): { step: StepResult; check: CommandCheck } | undefined {
  const { check } = planned;
  if (check?.want !== 'reject' || !check.badVars) return undefined;
  const reason = inexpressibleCheck(session.ctx.profile, planned.step, planned.vars, check.badVars);
  if (reason === undefined) return undefined;
  session.ctx.events.note(`check skipped: ${planned.title}: ${reason}`);
  return {
    step: noCommands(where, planned, 'skipped', reason),
    check: {
      title: planned.title,
      command: '',
      exitCode: undefined,
      stdout: '',
      stderr: '',
      leftBehind: [],
      want: check.want,
      criterion: check.criterion,
      skipped: reason,
    },
  };
}

/** The working directory of the target's commands: the profile's `cwd` with `{dir}` filled in, else the run's own. */
function workingDirectory(session: LabSession): string {
  const { profile, targetDir, workdir } = session.ctx;
  return renderInvocation(profile, { dir: targetDir }).cwd ?? workdir;
}

/** Undefined: nothing to record (an optional step the profile leaves out, e.g. no `setup`). */
async function stepOutcome(
  session: LabSession,
  where: Where,
  planned: PlannedStep,
): Promise<{ step: StepResult; check?: CommandCheck } | undefined> {
  const { ctx, world } = session;
  const skipped = inexpressible(session, where, planned);
  if (skipped) return skipped;
  const prepared = await prepareAndRender(session, planned);
  if (!prepared.ok) {
    ctx.events.note(`step ${planned.step}: the harness could not prepare it: ${prepared.why}`);
    return {
      step: noCommands(
        where,
        planned,
        'failed',
        `the harness could not prepare this step (${planned.title}): ${prepared.why}`,
      ),
    };
  }
  const { rendered } = prepared;
  if (!(rendered.kind === 'nothing' && !rendered.reason && isOptionalStep(planned.step)))
    ctx.events.note(`step ${planned.step}: ${planned.title}`);
  switch (rendered.kind) {
    case 'unsupported':
      if (!planned.check && !planned.cleanup) session.unsupported.add(planned.step);
      return { step: noCommands(where, planned, 'unsupported', rendered.reason) };
    case 'nothing':
      if (rendered.reason) return { step: noCommands(where, planned, 'skipped', rendered.reason) };
      if (isOptionalStep(planned.step)) return undefined;
      return {
        step: noCommands(
          where,
          planned,
          'skipped',
          'nothing to do: the profile says another step already did it ([])',
        ),
      };
    case 'harness':
      return { step: await harnessStep(session, where, planned) };
    case 'commands':
      break;
  }
  const before = planned.check ? await session.snapshot() : undefined;
  const { lastStdout, ...step } = await world.runStep({
    step: planned.step,
    phase: where.phase,
    commands: rendered.commands,
    timeoutMs: session.timeoutFor(planned.step, rendered.timeoutMs),
    cwd: workingDirectory(session),
    env: ctx.invocationEnv,
    events: ctx.events,
  });
  if (step.daemons) session.daemons.push(...step.daemons);
  if (!planned.check || !before) return { step };
  const after = await session.snapshot();
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

/** A `"harness"` step: the harness does it itself (only deployHttp has such a form: serve HTTP in the subnet). */
async function harnessStep(session: LabSession, where: Where, planned: PlannedStep): Promise<StepResult> {
  if (planned.step !== 'deployHttp') {
    return noCommands(where, planned, 'failed', `the harness cannot do step ${planned.step} itself`);
  }
  const started = session.world.clock.now();
  const { vpc, subnet: name, port } = planned.vars;
  const subnet = session.subnet(`${vpc}/${name}`);
  if (!subnet?.netns) {
    return noCommands(where, planned, 'failed', `harness deploy: subnet ${vpc}/${name} was not found`);
  }
  const elapsed = () => session.world.clock.now() - started;
  try {
    const listener = await session.world.listeners.start(subnet.netns, [Number(port)], `${subnet.netns}|app`);
    return {
      step: planned.step,
      phase: where.phase,
      status: 'harness',
      commands: [{ command: listener.command, exitCode: 0, durationMs: elapsed(), stderr: '' }],
      durationMs: elapsed(),
      message: 'the profile asks the harness to serve HTTP (the target has no deploy command)',
    };
  } catch (error) {
    return {
      step: planned.step,
      phase: where.phase,
      status: 'failed',
      commands: [],
      durationMs: elapsed(),
      message: `harness deploy failed: ${String(error)}`,
    };
  }
}
