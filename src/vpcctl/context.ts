import { VpcError } from '../util/errors.js';
import { execute } from './exec/executor.js';
import type { State } from './model.js';
import { compose, type Draft } from './plan/compose.js';
import type { Observed, Plan, PlanOptions } from './plan/types.js';
import type { ActivityLog } from './state/log.js';
import type { StateStore } from './state/store.js';
import type { System } from './system.js';

/** What every command handler gets. */
export interface Context {
  system: System;
  store: StateStore;
  log: ActivityLog;
  dryRun: boolean;
  verbose: boolean;
  options: PlanOptions;
  out: (text: string) => void;
  err: (text: string) => void;
  lockTimeoutMs: number | undefined;
}

export function requireRoot(ctx: Context): void {
  if (!ctx.dryRun && !ctx.system.isRoot()) {
    throw new VpcError(
      'E_ENVIRONMENT',
      'vpcctl changes network namespaces, links and iptables, which needs root',
      {
        hint: 'run it with sudo, or add --dry-run to only print the commands',
      },
    );
  }
}

export interface MutationResult {
  plan: Plan;
  state: State;
}

/**
 * The common path of every command that changes something: lock, load,
 * observe, plan (pure), execute, save. A planner that throws changes nothing.
 */
export async function mutate(
  ctx: Context,
  planner: (state: State, observed: Observed) => Draft | Promise<Draft>,
  finish?: (plan: Plan, started: Map<unknown, number>) => State,
): Promise<MutationResult> {
  requireRoot(ctx);
  if (!ctx.dryRun) ctx.store.lock({ timeoutMs: ctx.lockTimeoutMs });
  try {
    const state = ctx.store.load();
    const observed = await ctx.system.observe();
    const draft = await planner(state, observed);
    const composed = compose(state, draft, observed, ctx.options);
    const plan =
      ctx.options.hooks?.plan?.(composed, { prev: state, observed, options: ctx.options }) ?? composed;
    const report = await execute(plan, {
      system: ctx.system,
      dryRun: ctx.dryRun,
      verbose: ctx.verbose,
      httpServerScript: ctx.options.httpServerScript,
      print: ctx.out,
      trace: ctx.err,
      log: (text) => ctx.log.write(text),
    });
    if (!report.ok) {
      throw new VpcError(
        'E_COMMAND_FAILED',
        `${report.failures.join('\n')}${plan.bestEffort ? '' : '\n(what this command had changed was rolled back)'}`,
        {
          hint: plan.bestEffort
            ? 'the state still lists what could not be removed; run the command again once the cause is fixed'
            : 'see the log in the state directory; run with --verbose to see every command',
        },
      );
    }
    const next = finish ? finish(plan, report.started as Map<unknown, number>) : plan.state;
    if (!ctx.dryRun && JSON.stringify(next) !== JSON.stringify(state)) ctx.store.save(next);
    if (ctx.dryRun && plan.steps.length === 0) ctx.out('# nothing to change');
    for (const message of plan.messages) ctx.out(ctx.dryRun ? `# dry run: ${message}` : message);
    return { plan, state: next };
  } finally {
    ctx.store.unlock();
  }
}
