import { execa } from 'execa';
import { coversPrivateTree, type StartStateName, sandboxCommand } from '../../lab/sandbox/sandbox.js';

/**
 * `vpc-verify sandbox -- CMD`: run any command (a shell, a student's script)
 * in a throwaway lab sandbox, with the terminal attached.
 */
export async function runSandboxCommand(
  payload: string[],
  options: { keep: string[]; startState: StartStateName; transcript?: string },
): Promise<number> {
  // Interactive use: start where the user is (their folder stays visible and writable),
  // unless that folder is /tmp (or /, /etc, ...): then the sandbox's own private one.
  const here = process.cwd();
  const { argv, env } = sandboxCommand(payload, {
    keepPaths: [...options.keep, ...(coversPrivateTree(here) ? [] : [here])],
    workdir: process.cwd(),
    startState: options.startState,
    inheritStdin: true,
    transcriptPath: options.transcript,
  });
  const [file, ...args] = argv;
  const result = await execa(file as string, args, { env, stdio: 'inherit', reject: false });
  return result.exitCode ?? 128;
}
