import type { LabEvidence } from '../../src/model/evidence.js';
import { realCollaborators } from './collaborators.js';
import { LabRecord } from './record.js';
import { type LabContext, LabSession } from './session.js';
import { type TaskError, TaskQueue } from './task-queue.js';
import { planTasks } from './tasks.js';

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Runs a lab plan through the target (docs/architecture.md "The stage
 * runner"): the plan becomes a task queue of phases, stages and steps with
 * the hooks the plan declares. Returns evidence only; judging is
 * src/verdict's job. It never throws for the target's sake: whatever the
 * target does, the run reaches the end (or its deadline) and says what
 * happened, as evidence and as events.
 */
export class LabRun {
  readonly #ctx: LabContext;

  constructor(ctx: LabContext) {
    this.#ctx = ctx;
  }

  async run(): Promise<LabEvidence> {
    const ctx = this.#ctx;
    const world = ctx.collaborators ?? realCollaborators(ctx.$, ctx.events, ctx.plan);
    const record = new LabRecord(
      ctx.events,
      ctx.plan.phases.map((p) => p.id),
    );
    let harnessError: string | undefined;
    const queue = new TaskQueue({
      deadline: ctx.deadline,
      now: () => world.clock.now(),
      onFailure: ({ error }) => {
        harnessError = describe(error);
        ctx.events.note(`harness error: ${harnessError}`);
      },
    });
    const session = new LabSession(ctx, world, record);
    record.runBegins(ctx.plan.name);
    const result = await queue.run(planTasks(session));
    for (const failed of result.teardownErrors) harnessError = joinErrors(harnessError, failed);
    return record.runEnds({
      unsupportedSteps: [...session.unsupported],
      deadlineHit: result.deadlineHit,
      harnessError,
    });
  }
}

/** A teardown that throws is the harness's fault too; every one is named. */
function joinErrors(previous: string | undefined, failed: TaskError): string {
  const text = `teardown of ${failed.task} failed: ${describe(failed.error)}`;
  return previous ? `${previous}\n${text}` : text;
}
