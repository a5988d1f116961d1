import { execa } from 'execa';
import { type StartStateName, sandboxCommand } from '../../lab/sandbox/sandbox.js';

/**
 * `vpc-verify sandbox -- CMD`: run any command (a shell, a student's script)
 * in a throwaway lab sandbox, with the terminal attached.
 */
export async function runSandboxCommand(
  payload: string[],
  options: { keep: string[]; startState: StartStateName; transcript?: string },
): Promise<number> {
  const { argv, env } = sandboxCommand(payload, {
    keepPaths: options.keep,
    startState: options.startState,
    inheritStdin: true,
    transcriptPath: options.transcript,
  });
  const [file, ...args] = argv;
  const result = await execa(file as string, args, { env, stdio: 'inherit', reject: false });
  return result.exitCode ?? 128;
}
