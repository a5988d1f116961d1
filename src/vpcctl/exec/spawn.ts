import { spawn } from 'node:child_process';
import { inNetns } from '../../exec/escape.js';
import { makeResult } from '../../exec/result.js';
import type { CommandResult } from '../../exec/types.js';

/**
 * A minimal runner with the project's CommandResult shape. vpcctl does not use
 * src/exec's run(): importing execa alone costs ~75 ms, more than Node's own
 * start-up, and every vpcctl invocation is a fresh process.
 */
export interface SpawnOptions {
  netns?: string;
  input?: string;
  timeoutMs?: number;
}

export function spawnCommand(argv: readonly string[], options: SpawnOptions = {}): Promise<CommandResult> {
  const full = inNetns(options.netns, argv);
  const startedAt = new Date();
  const [file, ...args] = full;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: string | undefined;
    const child = spawn(file ?? '', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(
        makeResult({
          argv,
          netns: options.netns,
          startedAt,
          exitCode: code,
          signal,
          stdout,
          stderr,
          timedOut,
          spawnError,
        }),
      );
    });
  });
}
