import { type ErrorCode, VpcError } from '../util/errors.js';
import type { CommandResult } from './types.js';

/** Why a command failed, in one phrase (as execa's shortMessage). */
export function failureReason(result: CommandResult): string {
  if (result.spawnError) return `could not start (${result.spawnError})`;
  if (result.timedOut) return `timed out after ${result.durationMs} ms`;
  if (result.signal) return `was killed with ${result.signal}`;
  return `failed with exit code ${result.exitCode}`;
}

export class CommandError extends VpcError {
  readonly result: CommandResult | undefined;

  constructor(code: ErrorCode, message: string, result: CommandResult | undefined) {
    super(code, message);
    this.name = 'CommandError';
    this.result = result;
  }

  static fromResult(result: CommandResult): CommandError {
    const code: ErrorCode = result.spawnError
      ? 'E_COMMAND_SPAWN'
      : result.timedOut
        ? 'E_COMMAND_TIMEOUT'
        : 'E_COMMAND_FAILED';
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join('\n');
    const message = `Command ${failureReason(result)}: ${result.escapedCommand}${detail ? `\n${detail}` : ''}`;
    return new CommandError(code, message, result);
  }
}
