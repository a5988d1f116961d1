import { quoteArg } from '../../exec/escape.js';
import type { CommandResult } from '../../exec/types.js';
import { VpcError } from '../../util/errors.js';
import { tableEmptyWithout } from '../plan/chains.js';
import { parseIptablesSave } from '../plan/iptables.js';
import type { Plan, Step } from '../plan/types.js';
import type { StartHttpStep, System } from '../system.js';

export interface ExecutorContext {
  system: System;
  dryRun: boolean;
  verbose: boolean;
  httpServerScript: string;
  /** Dry-run output (stdout). */
  print: (text: string) => void;
  /** Verbose trace (stderr). */
  trace: (text: string) => void;
  /** The activity log. */
  log: (text: string) => void;
}

export interface ExecutionReport {
  ok: boolean;
  /** One message per failed step. */
  failures: string[];
  /** pid of each server started, by step. */
  started: Map<StartHttpStep, number>;
}

/** A unit of execution: one `ip -batch` for consecutive ip steps of a namespace, else one step. */
type Unit =
  | { kind: 'ip-batch'; netns?: string; steps: Extract<Step, { kind: 'ip' }>[] }
  | { kind: 'single'; step: Step };

export function group(steps: readonly Step[]): Unit[] {
  const units: Unit[] = [];
  for (const step of steps) {
    const last = units.at(-1);
    if (step.kind === 'ip') {
      if (last?.kind === 'ip-batch' && last.netns === step.netns) last.steps.push(step);
      else units.push({ kind: 'ip-batch', netns: step.netns, steps: [step] });
    } else {
      units.push({ kind: 'single', step });
    }
  }
  return units;
}

function ipPrefix(netns: string | undefined): string[] {
  return netns ? ['ip', '-n', netns] : ['ip'];
}

/** The step as a shell command a person can paste (what --dry-run prints). */
export function renderStep(step: Step, httpServerScript: string): string {
  switch (step.kind) {
    case 'ip':
      return [...ipPrefix(step.netns), ...step.args].map(quoteArg).join(' ');
    case 'iptables-restore': {
      const prefix = step.netns ? `ip netns exec ${quoteArg(step.netns)} ` : '';
      return `${prefix}iptables-restore --noflush <<'EOF'\n${step.input}EOF`;
    }
    case 'sysctl':
      return `sysctl -w ${step.key}=${step.value}`;
    case 'nft-delete-table':
      return `nft delete table ${step.family} ${step.table}  # only if still empty`;
    case 'start-http':
      return `${[
        'ip',
        'netns',
        'exec',
        step.netns,
        process.execPath,
        httpServerScript,
        step.address,
        String(step.port),
      ]
        .map(quoteArg)
        .join(
          ' ',
        )} >>${quoteArg(step.log)} 2>&1 &  # then wait until http://${step.address}:${step.port}/ answers`;
    case 'stop-process':
      return `kill ${step.pid}  # ${step.what}`;
  }
}

export function renderPlan(steps: readonly Step[], httpServerScript: string): string {
  return steps.map((s) => renderStep(s, httpServerScript)).join('\n');
}

function detail(result: CommandResult): string {
  if (result.spawnError) return `could not start: ${result.spawnError}`;
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-4).join('\n');
  return text || `exit code ${result.exitCode ?? result.signal}`;
}

/** For `ip -batch`: which line failed ("Command failed -:3"), so the message names the command. */
function failedBatchLines(stderr: string): number[] {
  return [...stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1]));
}

async function runUnit(
  unit: Unit,
  ctx: ExecutorContext,
  bestEffort: boolean,
  report: ExecutionReport,
): Promise<boolean> {
  const { system } = ctx;
  const fail = (message: string): boolean => {
    report.failures.push(message);
    ctx.log(`  FAILED: ${message}`);
    if (ctx.verbose) ctx.trace(`  FAILED: ${message}`);
    return false;
  };
  /** Log and trace what ran: each command as --dry-run prints it, then how it ended. */
  const ran = (result: CommandResult, shown: string[], how = ''): void => {
    const status = `${how}exit ${result.exitCode ?? result.signal ?? '-'}, ${result.durationMs} ms`;
    ctx.log(`  ran (${status}): ${shown.join('\n')}`);
    if (ctx.verbose) ctx.trace(`${shown.map((s) => `+ ${s}`).join('\n')}\n  [${status}]`);
  };
  if (unit.kind === 'ip-batch') {
    const lines = unit.steps.map((s) => renderStep(s, ctx.httpServerScript));
    let result: CommandResult;
    if (unit.steps.length === 1) {
      result = await system.run([...ipPrefix(unit.netns), ...(unit.steps[0]?.args ?? [])]);
    } else {
      const argv = [...ipPrefix(unit.netns), ...(bestEffort ? ['-force'] : []), '-batch', '-'];
      result = await system.run(argv, { input: `${unit.steps.map((s) => s.args.join(' ')).join('\n')}\n` });
    }
    ran(result, lines, unit.steps.length > 1 ? 'ip -batch: ' : '');
    if (!result.failed) return true;
    const bad = failedBatchLines(result.stderr);
    const which =
      bad.length > 0
        ? bad.map((n) => lines[n - 1] ?? `line ${n}`)
        : unit.steps.length === 1
          ? lines
          : [lines.join(' ; ')];
    return fail(`${which.join(' ; ')}: ${detail(result).replace(/\n?Command failed -:\d+/g, '')}`);
  }
  const step = unit.step;
  const shown = renderStep(step, ctx.httpServerScript);
  switch (step.kind) {
    case 'iptables-restore': {
      const result = await system.run(['iptables-restore', '--noflush'], {
        netns: step.netns,
        input: step.input,
      });
      ran(result, [shown]);
      return result.failed ? fail(`${shown.split('\n')[0]}: ${detail(result)}`) : true;
    }
    case 'sysctl':
      try {
        system.writeSysctl(step.key, step.value);
        ctx.log(`  ran: ${shown}`);
        if (ctx.verbose) ctx.trace(`+ ${shown}`);
        return true;
      } catch (error) {
        return fail(`${shown}: ${(error as Error).message}`);
      }
    case 'nft-delete-table': {
      // Re-check at the last moment: delete only an empty table of the nf_tables backend.
      const save = await system.run(['iptables-save', '-t', step.table]);
      const snapshot = parseIptablesSave(save.stdout);
      const table = snapshot.tables.get(step.table);
      if (save.failed || !table || snapshot.backend !== 'nf_tables' || !tableEmptyWithout(table, [])) {
        ctx.log(`  skipped (table absent, not empty or not nf_tables): ${shown}`);
        return true;
      }
      const result = await system.run(['nft', 'delete', 'table', step.family, step.table]);
      ran(result, [shown]);
      if (result.spawnError) {
        ctx.log('  note: nft is not installed; the empty table stays');
        return true;
      }
      return result.failed ? fail(`${shown}: ${detail(result)}`) : true;
    }
    case 'start-http':
      try {
        const pid = await system.startHttp(step, ctx.httpServerScript);
        report.started.set(step, pid);
        ctx.log(`  ran: ${shown} -> pid ${pid}`);
        if (ctx.verbose) ctx.trace(`+ ${shown}  [pid ${pid}]`);
        return true;
      } catch (error) {
        return fail((error as Error).message);
      }
    case 'stop-process':
      try {
        const stopped = await system.stopProcess(step.pid, step.match);
        ctx.log(`  ${stopped ? 'ran' : 'skipped (not running)'}: ${shown}`);
        if (ctx.verbose) ctx.trace(`+ ${shown}${stopped ? '' : '  [not running]'}`);
        return true;
      } catch (error) {
        return fail(`${shown}: ${(error as Error).message}`);
      }
    case 'ip':
      throw new VpcError('E_INTERNAL', 'ip steps run in batches');
  }
}

/**
 * Apply a plan. --dry-run prints the commands and touches nothing. A failed
 * step stops the plan and runs its rollback (best effort), unless the plan is
 * best-effort (teardown), which carries on and reports every failure.
 */
export async function execute(plan: Plan, ctx: ExecutorContext): Promise<ExecutionReport> {
  const report: ExecutionReport = { ok: true, failures: [], started: new Map() };
  if (ctx.dryRun) {
    if (plan.steps.length > 0) ctx.print(renderPlan(plan.steps, ctx.httpServerScript));
    return report;
  }
  const bestEffort = plan.bestEffort === true;
  for (const unit of group(plan.steps)) {
    const ok = await runUnit(unit, ctx, bestEffort, report);
    if (ok) continue;
    report.ok = false;
    if (bestEffort) continue;
    if (plan.rollback.length > 0) {
      ctx.log('  rolling back');
      if (ctx.verbose) ctx.trace('rolling back');
      // Undo steps for things this command never got to create fail harmlessly: logged, not reported.
      const ignored: ExecutionReport = { ok: true, failures: [], started: new Map() };
      const quiet = { ...ctx, log: (t: string) => ctx.log(`  rollback:${t}`), trace: () => {} };
      for (const undo of group(plan.rollback)) await runUnit(undo, quiet, true, ignored);
    }
    break;
  }
  return report;
}
