import { isVpcError } from '../util/errors.js';

/** vpc-verify's documented exit codes (README "Exit codes"). */
export const EXIT = {
  /** Every Stage 4 criterion passed. */
  pass: 0,
  /** At least one Stage 4 criterion did not pass (or the run hit its deadline). */
  criteriaFailed: 1,
  /** Bad input: unknown option, missing target, invalid profile. */
  badInput: 2,
  /** This machine cannot run labs (privileges, missing commands, no namespaces). */
  environment: 3,
  /** The harness itself broke; the verdict could not be judged. */
  harnessError: 4,
} as const;

/** The exit code an error stands for: what the user can fix (2), the machine (3), or our bug (4). */
export function exitCodeForError(error: unknown): number {
  if (!isVpcError(error)) return EXIT.harnessError;
  if (error.code === 'E_ENVIRONMENT') return EXIT.environment;
  if (error.code === 'E_BAD_INPUT' || error.code === 'E_SCHEMA' || error.code === 'E_NOT_FOUND')
    return EXIT.badInput;
  return EXIT.harnessError;
}
