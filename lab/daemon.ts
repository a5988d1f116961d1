import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeCommand } from '../src/exec/escape.js';
import { EventStream } from '../src/exec/events.js';
import { run } from '../src/exec/run.js';
import type { StepResult } from '../src/model/summary.js';
import type { CommandOptions } from '../src/profiles/render.js';

/** A daemon a step started and left running: the runner keeps it until the teardown. */
export interface StartedDaemon {
  pid: number;
  command: string;
  port: number;
  host: string;
  /** The namespace the port answered in (absent: the sandbox's own). */
  netns?: string;
}

/** Whether `port` answers on `host`; when it does, the namespace it answered in (undefined: the sandbox's own). */
export type PortCheck = (host: string, port: number) => Promise<{ netns: string | undefined } | false>;

const POLL_MS = 200;
/** Polling is not evidence: its commands stay out of the transcript. */
const quiet = new EventStream();

/** The network namespace that holds `host` (undefined: the current one), or null when none does. */
async function namespaceOf(host: string): Promise<string | undefined | null> {
  const holds = (out: string) => out.split('\n').some((l) => l.includes(` inet ${host}/`));
  if (host.startsWith('127.')) return undefined;
  const own = await run(['ip', '-o', '-4', 'addr', 'show'], { events: quiet, timeoutMs: 5_000 });
  if (holds(own.stdout)) return undefined;
  const list = await run(['ip', 'netns', 'list'], { events: quiet, timeoutMs: 5_000 });
  for (const line of list.stdout.split('\n')) {
    const name = line.split(' ')[0];
    if (!name) continue;
    const addrs = await run(['ip', '-n', name, '-o', '-4', 'addr', 'show'], {
      events: quiet,
      timeoutMs: 5_000,
    });
    if (holds(addrs.stdout)) return name;
  }
  return null;
}

/** The default PortCheck: a TCP connect from inside the namespace that holds the address. */
export const portAnswers: PortCheck = async (host, port) => {
  const netns = await namespaceOf(host);
  if (netns === null) return false;
  const connect = ['bash', '-c', 'exec 3<>"/dev/tcp/$0/$1"', host, String(port)];
  const argv = netns ? ['ip', 'netns', 'exec', netns, ...connect] : connect;
  const result = await run(argv, { events: quiet, timeoutMs: 3_000 });
  return result.exitCode === 0 ? { netns } : false;
};

export type DaemonOutcome =
  | { ok: true; daemon: StartedDaemon; record: StepResult['commands'][number] }
  | { ok: false; message: string; record: StepResult['commands'][number] };

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

/**
 * Start a command that never returns, in its own process group with its
 * output in a file, and wait until its port answers. Ready: it is left
 * running. Exited first, or not ready by `readyMs`: the step fails (and a
 * daemon still running is killed with its group).
 */
export async function startDaemon(
  argv: readonly string[],
  spec: NonNullable<CommandOptions['daemon']>,
  options: {
    cwd: string;
    env: Record<string, string>;
    events: EventStream;
    label: string;
    portCheck: PortCheck;
  },
): Promise<DaemonOutcome> {
  const command = escapeCommand(argv);
  const started = Date.now();
  const logDir = mkdtempSync(join(tmpdir(), 'vpc-daemon-'));
  const logFile = join(logDir, 'output');
  const fd = openSync(logFile, 'w');
  const id = options.events.nextId();
  options.events.emit({
    kind: 'start',
    id,
    at: new Date().toISOString(),
    argv: [...argv],
    netns: undefined,
    escapedCommand: command,
    label: options.label,
  });
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exit: { code: number | null; signal: string | null } | undefined;
  let spawnError: string | undefined;
  child.on('exit', (code, signal) => {
    exit = { code, signal };
  });
  child.on('error', (error) => {
    spawnError = error.message;
    exit ??= { code: null, signal: null };
  });
  child.unref();
  const record = (exitCode: number | undefined, signal?: string) => ({
    command,
    exitCode,
    ...(signal ? { signal } : {}),
    durationMs: Date.now() - started,
    stderr: tail(logFile),
  });
  const deadline = started + spec.readyMs;
  while (Date.now() < deadline) {
    if (exit) {
      const how = spawnError ?? `exit ${exit.code ?? exit.signal}`;
      options.events.note(`daemon ${command} ended before port ${spec.port} answered (${how})`);
      return {
        ok: false,
        message: `${command} was to keep running (daemon) and serve port ${spec.port} on ${spec.host}, but it ended first (${how})`,
        record: record(exit.code ?? undefined, exit.signal ?? undefined),
      };
    }
    const answered = await options.portCheck(spec.host, spec.port);
    if (answered && !exit) {
      options.events.note(
        `daemon ${command} (pid ${child.pid}) answers on ${spec.host}:${spec.port}${answered.netns ? ` in ${answered.netns}` : ''}; left running until the teardown`,
      );
      return {
        ok: true,
        daemon: {
          pid: child.pid as number,
          command,
          port: spec.port,
          host: spec.host,
          netns: answered.netns,
        },
        record: record(undefined),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (child.pid && !exit) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  options.events.note(
    `daemon ${command}: port ${spec.port} did not answer within ${spec.readyMs} ms; killed`,
  );
  return {
    ok: false,
    message: `${command} (daemon) did not answer on ${spec.host}:${spec.port} within ${spec.readyMs} ms and was killed`,
    record: record(undefined, 'SIGKILL'),
  };
}
