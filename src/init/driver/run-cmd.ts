import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Ran {
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

let scratch: string | undefined;

/**
 * Run one command with a time limit. Output goes to a file, not a pipe: a
 * tool that starts a server leaves it holding its stdout, and we must return
 * when the tool exits, not when the server does.
 */
export function runCmd(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs: number },
): Promise<Ran> {
  scratch ??= mkdtempSync('/tmp/vpc-init-');
  const file = join(scratch, `out-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(file, 'w');
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: { ...process.env, ...options.env },
      cwd: options.cwd ?? scratch,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    let finished = false;
    const done = (exitCode: number | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      closeSync(fd);
      const output = readFileSync(file, 'utf8');
      resolve({ exitCode, timedOut, output: output.length > 20000 ? `${output.slice(0, 20000)}…` : output });
    };
    child.on('error', (error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      closeSync(fd);
      resolve({ exitCode: null, timedOut: false, output: String(error) });
    });
    child.on('exit', (code) => done(code));
  });
}

/** A system command (ip, iptables-save, ss): its output, '' when it fails. */
export async function sys(argv: string[]): Promise<string> {
  const ran = await runCmd(argv, { timeoutMs: 10_000 });
  return ran.exitCode === 0 ? ran.output : '';
}
