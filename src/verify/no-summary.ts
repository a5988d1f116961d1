import { constants } from 'node:os';
import { parseTranscript } from '../exec/transcript.js';
import type { CommandResult } from '../exec/types.js';
import type { Finding } from '../model/summary.js';

export interface NoSummary {
  /** The one-line reason every criterion carries. */
  why: string;
  findings: Finding[];
}

function signalName(result: CommandResult): string | undefined {
  if (result.signal) return result.signal;
  const code = result.exitCode;
  if (code === undefined || code <= 128 || code > 128 + 64) return undefined;
  const found = Object.entries(constants.signals).find(([, n]) => n === code - 128);
  return found?.[0] ?? `signal ${code - 128}`;
}

/** The target command running when the harness died (a START without END), else the last one that ran. */
function lastTargetCommand(
  transcript: string,
): { command: string; step: string; running: boolean } | undefined {
  const commands = parseTranscript(transcript).commands.filter((c) => c.label?.startsWith('step:'));
  const last = commands.at(-1);
  if (!last) return undefined;
  return {
    command: last.escapedCommand,
    step: last.label?.slice('step:'.length) ?? '?',
    running: last.endedAt === undefined,
  };
}

/**
 * Why a sandbox ended without summary.json, from what is left: its exit and
 * the transcript. A harness killed by a signal while (or after) a target
 * command ran was most likely killed by that target (pkill/killall see every
 * process of the sandbox's PID namespace, the harness included): say so, name
 * the command, and add a finding, so the failed run reads as the target's.
 */
export function explainNoSummary(result: CommandResult, deadlineMs: number, transcript: string): NoSummary {
  if (result.timedOut) {
    return {
      why: `the run did not finish within its deadline (${Math.round(deadlineMs / 1000)} s) and was stopped`,
      findings: [],
    };
  }
  const signal = signalName(result);
  const target = lastTargetCommand(transcript);
  if (signal && target) {
    const when = target.running ? 'while the target ran' : "after the target's last command";
    const message = `the harness was killed (${signal}) ${when} \`${target.command}\` (step ${target.step}): a target that kills processes it did not start (pkill -f node, killall) kills the harness, its listeners and the internet host too, so nothing could be judged`;
    return { why: message, findings: [{ id: 'harness-killed', severity: 'warning', message }] };
  }
  const tail = result.stderr.trim().split('\n').slice(-3).join(' | ');
  return {
    why: `the harness stopped without a summary (exit ${result.exitCode ?? result.signal}): ${tail}`,
    findings: [],
  };
}
