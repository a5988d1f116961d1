import { spawn } from 'node:child_process';
import { escapeCommand, inNetns } from '../../exec/escape.js';
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
  const escapedCommand = escapeCommand(full);
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
      resolve({
        argv: [...argv],
        command: argv.join(' '),
        escapedCommand,
        netns: options.netns,
        exitCode: spawnError === undefined ? (code ?? undefined) : undefined,
        signal: signal ?? undefined,
        stdout,
        stderr,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        timedOut,
        failed: code !== 0,
        spawnError,
      });
    });
  });
}
