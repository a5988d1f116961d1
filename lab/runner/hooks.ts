import { join } from 'node:path';
import type { LabStep, PhaseHook, StageHook, StepHook } from '../../src/plan/types.js';
import { renderPolicy, type VarValue } from '../../src/profiles/index.js';
import { addedSince } from '../../src/snapshot/added.js';
import type { LabSession, Where } from './session.js';

/** How long the settled snapshot waits for namespace deletion (asynchronous in the kernel) to finish. */
const TEARDOWN_WAIT_MS = 3_000;
const TEARDOWN_POLL_MS = 100;

/** The hooks the plan declares (src/plan/types.ts), one function each. */

export async function runPhaseHook(session: LabSession, hook: PhaseHook): Promise<void> {
  switch (hook.kind) {
    case 'teardown-baseline':
      session.baseline = await session.snapshot();
      return;
  }
}

export async function runStageHook(session: LabSession, where: Where, hook: StageHook): Promise<void> {
  switch (hook.kind) {
    case 'stop-listeners':
      return stopListeners(session, hook.vpcs);
    case 'settled-snapshot':
      return settledSnapshot(session, where);
  }
}

/** Runs a step's hook; the value goes into the step's `hook.into`. */
export async function runStepHook<S extends LabStep>(
  session: LabSession,
  hook: StepHook<S>,
): Promise<VarValue> {
  switch (hook.kind) {
    case 'discover-address':
      await session.discover([hook.subnet]);
      return session.subnet(hook.subnet)?.address ?? '';
    case 'write-policy': {
      const { profile, plan, workdir, events } = session.ctx;
      const file = join(workdir, 'policies', profile.policy.fileName);
      session.world.writeFile(file, renderPolicy(profile, plan.policy));
      events.note(`policy file ${file} written in the profile's format (${profile.policy.format})`);
      return file;
    }
  }
}

/** Listeners (and a harness-served app) keep a namespace alive: stop those of VPCs about to be torn down. */
async function stopListeners(session: LabSession, vpcs: readonly string[]): Promise<void> {
  const doomed = session.discovery.filter((d) => vpcs.includes(d.vpc) && d.netns).map((d) => d.netns ?? '');
  await session.world.listeners.stop(doomed);
  await session.world.listeners.stop(doomed.map((n) => `${n}|app`));
}

/** Wait (bounded) until the sandbox is back to the baseline; record both as the phase's before/after. */
async function settledSnapshot(session: LabSession, where: Where): Promise<void> {
  const baseline = session.baseline;
  if (!baseline) return;
  const { clock } = session.world;
  const until = clock.now() + TEARDOWN_WAIT_MS;
  let snapshot = await session.snapshot();
  while (addedSince(baseline, snapshot).length > 0 && clock.now() < until) {
    await clock.sleep(TEARDOWN_POLL_MS);
    snapshot = await session.snapshot();
  }
  // The target's daemons were left running on purpose: one still up here is the tool's leftover.
  if (session.daemons.length > 0) {
    session.ctx.events.note(
      `daemons the target started: ${session.daemons.map((d) => `${d.command} (pid ${d.pid})`).join(', ')}; the runner never stops them, so any still running are the tool's leftovers`,
    );
  }
  session.record.snapshot(where.phase, 'before', baseline);
  session.record.snapshot(where.phase, 'after', snapshot);
}
