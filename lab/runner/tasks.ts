import type { PhasePlan, StagePlan } from '../../src/plan/types.js';
import { buildTruthTables, endpointsFrom } from '../../src/probes/index.js';
import { runPhaseHook, runStageHook } from './hooks.js';
import type { LabSession, Where } from './session.js';
import { runPlannedStep } from './steps.js';
import type { Task } from './task-queue.js';

/** How long a "must connect" probe retries unless the run says otherwise. */
const POSITIVE_DEADLINE_MS = 45_000;
const MIN_POSITIVE_DEADLINE_MS = 1_000;

/**
 * The plan as tasks (docs/architecture.md "The stage runner"): one per phase,
 * holding one per stage, holding one per step, then the stage's discovery,
 * probes and after-hooks, then the phase's end. The deadline cuts phases,
 * stages, steps and probe matrices; what closes a reached stage or phase
 * (discovery, after-hooks, the phase's totals) still runs.
 */
export function planTasks(session: LabSession): Task[] {
  const { plan, skipTeardown } = session.ctx;
  return [
    {
      title: 'harness listeners',
      cutByDeadline: false,
      // --keep leaves them running: the person exploring the lab probes them.
      setup: (scope) => {
        if (!skipTeardown) scope.use(session.world.listeners);
      },
    },
    ...plan.phases.map((phase) => phaseTask(session, phase)),
  ];
}

function phaseTask(session: LabSession, phase: PhasePlan): Task {
  const { ctx, world, record } = session;
  let started = 0;
  let unnattedBefore = 0;
  return {
    title: `phase ${phase.id}`,
    enabled: !(phase.tearsDown && ctx.skipTeardown),
    setup: async () => {
      for (const hook of phase.before ?? []) await runPhaseHook(session, hook);
      started = world.clock.now();
      record.phaseBegins(phase.id);
      world.internet.newSources();
      unnattedBefore = await world.internet.unnattedPackets();
    },
    children: [
      ...phase.stages.map((stage) => stageTask(session, { phase: phase.id, stage: stage.id }, stage)),
      {
        title: `phase ${phase.id} ends`,
        cutByDeadline: false,
        setup: async () => {
          const truthTables = buildTruthTables(phase.id, record.probesOf(phase.id), ctx.plan);
          const internetSources = world.internet.newSources();
          const unnattedPackets = Math.max(0, (await world.internet.unnattedPackets()) - unnattedBefore);
          record.phaseEnds(phase.id, {
            truthTables,
            internetSources,
            unnattedPackets,
            durationMs: world.clock.now() - started,
          });
        },
      },
    ],
    skipped: () => record.phaseNotReached(phase.id),
  };
}

function stageTask(session: LabSession, where: Where, stage: StagePlan): Task {
  const children: Task[] = stage.steps.map((planned) => ({
    title: `step ${planned.step}: ${planned.title}`,
    setup: () => runPlannedStep(session, where, planned),
  }));
  if (stage.expectSubnets.length > 0 || stage.probes.length > 0) {
    children.push({
      title: `discovery after ${stage.id}`,
      cutByDeadline: false,
      setup: async () => {
        await session.discover(stage.expectSubnets);
        const expected = session.discovery.filter((d) => stage.expectSubnets.includes(d.key));
        session.record.discovery(where.phase, where.stage, expected);
      },
    });
  }
  if (stage.probes.length > 0) {
    children.push({ title: `probes of ${stage.id}`, setup: () => probeStage(session, where, stage) });
  }
  for (const hook of stage.after ?? []) {
    children.push({
      title: `${hook.kind} after ${stage.id}`,
      cutByDeadline: false,
      setup: () => runStageHook(session, where, hook),
    });
  }
  return {
    title: `stage ${stage.id}`,
    setup: async () => {
      session.record.stageBegins(where.phase, where.stage, stage.title);
      for (const hook of stage.before ?? []) await runStageHook(session, where, hook);
    },
    children,
  };
}

async function probeStage(session: LabSession, where: Where, stage: StagePlan): Promise<void> {
  const { ctx, world } = session;
  await startListeners(session);
  const started = world.clock.now();
  const matrix = await world.probeMatrix(stage.probes, endpointsFrom(session.discovery, ctx.plan), {
    phase: where.phase,
    stage: where.stage,
    events: ctx.events,
    positiveDeadlineMs: Math.min(
      ctx.positiveDeadlineMs ?? POSITIVE_DEADLINE_MS,
      Math.max(MIN_POSITIVE_DEADLINE_MS, session.msLeft()),
    ),
  });
  // Long stalls become findings in src/verdict/findings.ts, from the phase's settleMs.
  session.record.probes(where.phase, matrix.probes, world.clock.now() - started, matrix.settleMs);
}

/** The plan's listeners in the subnets found so far, each started once. */
async function startListeners(session: LabSession): Promise<void> {
  const { listeners } = session.world;
  await Promise.all(
    session.ctx.plan.listeners.map(async (plan) => {
      const subnet = session.subnet(plan.subnet);
      if (!subnet?.netns || listeners.has(subnet.netns)) return;
      try {
        await listeners.start(subnet.netns, plan.ports);
      } catch (error) {
        // The probes to it will fail and say so; the run goes on.
        session.ctx.events.note(`listener in ${subnet.netns} did not start: ${String(error)}`);
      }
    }),
  );
}
