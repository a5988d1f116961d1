import { constants } from 'node:os';
import type { RecordEvent } from '../events/types.js';
import type { CommandResult } from '../exec/types.js';
import type { Finding } from '../model/summary.js';

export interface NoSummary {
  /** The one-line reason: every criterion the record cannot decide carries it. */
  why: string;
  findings: Finding[];
  /** The harness was killed (by the target, most likely): the record may still decide what ran before. */
  killed: boolean;
}

function signalName(result: CommandResult): string | undefined {
  if (result.signal) return result.signal;
  const code = result.exitCode;
  if (code === undefined || code <= 128 || code > 128 + 64) return undefined;
  const found = Object.entries(constants.signals).find(([, n]) => n === code - 128);
  return found?.[0] ?? `signal ${code - 128}`;
}

interface TargetCommand {
  command: string;
  step: string;
  running: boolean;
  /** The phase the record was in when the command started. */
  phase: string | undefined;
}

/** The target command running when the harness died (a start without end), else the last one that ran. */
export function lastTargetCommand(events: readonly RecordEvent[]): TargetCommand | undefined {
  let phase: string | undefined;
  let last: TargetCommand | undefined;
  let lastId: number | undefined;
  for (const event of events) {
    if (event.kind === 'phase' && event.state === 'begin') phase = event.phase;
    else if (event.kind === 'start' && event.label?.startsWith('step:')) {
      last = { command: event.escapedCommand, step: event.label.slice('step:'.length), running: true, phase };
      lastId = event.id;
    } else if (event.kind === 'end' && event.id === lastId && last) last.running = false;
  }
  return last;
}

/**
 * Why a sandbox ended without summary.json, from what is left: its exit and
 * the event record. A harness killed by a signal while (or after) a target
 * command ran was most likely killed by that target (pkill/killall see every
 * process of the sandbox's PID namespace, the harness included): say so, name
 * the command, and add a finding, so the failed run reads as the target's.
 */
export function explainNoSummary(
  result: CommandResult,
  deadlineMs: number,
  events: readonly RecordEvent[],
): NoSummary {
  if (result.timedOut) {
    return {
      why: `the run did not finish within its deadline (${Math.round(deadlineMs / 1000)} s) and was stopped`,
      findings: [],
      killed: false,
    };
  }
  const signal = signalName(result);
  const target = lastTargetCommand(events);
  if (signal && target) {
    const when = target.running ? 'while the target ran' : "after the target's last command";
    const where = target.phase ? ` in phase ${target.phase}` : '';
    const message = `the harness was killed (${signal}) ${when} \`${target.command}\` (step ${target.step})${where}: a target that kills processes it did not start (pkill -f node, killall) kills the harness, its listeners and the internet host too, so nothing from then on could be judged`;
    return { why: message, findings: [{ id: 'harness-killed', severity: 'warning', message }], killed: true };
  }
  const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
  return {
    why: `the harness stopped without a summary (exit ${result.exitCode ?? result.signal}): ${tail}`,
    findings: [],
    killed: false,
  };
}
