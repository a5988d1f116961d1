import { escapeCommand, inNetns } from './escape.js';
import type { CommandResult } from './types.js';

/** What a runner observed about one command; `makeResult` derives the rest. */
export interface CommandOutcome {
  /** argv as given (without the `ip netns exec` prefix). */
  argv: readonly string[];
  netns?: string | undefined;
  /** Default: argv (with its netns prefix) quoted for a POSIX shell. A shell line is already pasteable as it is. */
  escapedCommand?: string;
  /** `command` as read; default: argv joined with spaces. */
  command?: string;
  startedAt: Date;
  /** Default: from startedAt until now. */
  durationMs?: number;
  exitCode?: number | null | undefined;
  signal?: string | null | undefined;
  stdout?: string;
  stderr?: string;
  timedOut?: boolean;
  /** Why the process could not start at all (then there is no exit code). */
  spawnError?: string | Error | null | undefined;
}

/**
 * The one place a CommandResult is made (as execa's lib/return/result.js), so
 * every runner (execa, zx, node:child_process) agrees on what `failed`,
 * `exitCode` and `spawnError` mean: a command failed unless it started, was
 * not stopped for its time, and exited 0.
 */
export function makeResult(outcome: CommandOutcome): CommandResult {
  const spawnError =
    outcome.spawnError === null || outcome.spawnError === undefined
      ? undefined
      : outcome.spawnError instanceof Error
        ? outcome.spawnError.message
        : outcome.spawnError;
  const exitCode = spawnError === undefined ? (outcome.exitCode ?? undefined) : undefined;
  const timedOut = outcome.timedOut ?? false;
  return {
    argv: [...outcome.argv],
    command: outcome.command ?? outcome.argv.join(' '),
    escapedCommand: outcome.escapedCommand ?? escapeCommand(inNetns(outcome.netns, outcome.argv)),
    netns: outcome.netns,
    exitCode,
    signal: outcome.signal ?? undefined,
    stdout: outcome.stdout ?? '',
    stderr: outcome.stderr ?? '',
    startedAt: outcome.startedAt.toISOString(),
    durationMs: outcome.durationMs ?? Date.now() - outcome.startedAt.getTime(),
    timedOut,
    failed: spawnError !== undefined || timedOut || exitCode !== 0,
    spawnError,
  };
}
