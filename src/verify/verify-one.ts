import type { VerifyOne } from '../batch/index.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { verify } from './verify.js';

/** One submission of a batch: verify() with the batch's options, never throwing. */
export const verifyOne: VerifyOne = async (options) => {
  try {
    const { summary, reportsDir } = await verify({
      targetDir: options.targetDir,
      profile: options.profile,
      outDir: options.outDir,
      ...(options.timeoutsMs ? { stepTimeoutsMs: options.timeoutsMs } : {}),
      ...(options.startState ? { startState: options.startState as 'fresh' | 'docker-host' } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      skipDoctor: true,
    });
    return { summary, exitCode: summary.verdict === 'pass' ? EXIT.pass : EXIT.criteriaFailed, reportsDir };
  } catch (error) {
    return {
      summary: undefined,
      exitCode: exitCodeForError(error),
      reportsDir: options.outDir,
      error: error instanceof Error ? error.message : String(error),
    };
  }
};
