import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Options } from 'execa';
import { CommandError } from './error.js';
import { escapeCommand, inNetns } from './escape.js';
import { defaultEvents, type EventStream } from './events.js';
import { makeResult } from './result.js';
import type { CommandResult } from './types.js';

export interface RunOptions {
  /** Run inside this network namespace (`ip netns exec NS ...`). */
  netns?: string;
  /** Kill the whole process group after this long. Default 30 s. */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Text written to stdin; otherwise stdin is closed (/dev/null). */
  input?: string;
  /**
   * Send stdout/stderr to files instead of pipes. Use for targets: a command
   * that starts a daemon which inherits its pipes would otherwise keep us
   * waiting after the command itself exited.
   */
  outputToFiles?: boolean;
  /** Keep at most this many bytes of each stream, half from its start, half from its end (a target may print megabytes). Default 1 MiB. */
  maxOutputBytes?: number;
  /** Called with output as it arrives (pipes only): live progress of a long command. */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Short tag shown in the transcript (step name, probe id). */
  label?: string;
  /** Kill the process group when this aborts (a batch giving up on a submission). */
  signal?: AbortSignal;
  events?: EventStream;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 1024 * 1024;

let outputDir: string | undefined;
function outputFile(id: number, stream: string): string {
  outputDir ??= mkdtempSync(join(tmpdir(), 'vpc-exec-'));
  return join(outputDir, `${process.pid}-${id}.${stream}`);
}

/**
 * Keep the first and the last part of a long output: a tool's error is
 * usually its last line, even after megabytes of chatter.
 */
function readCapped(path: string, max: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= max) {
      const buffer = Buffer.alloc(size);
      readSync(fd, buffer, 0, size, 0);
      return buffer.toString('utf8');
    }
    const half = Math.floor(max / 2);
    const head = Buffer.alloc(half);
    const tail = Buffer.alloc(half);
    readSync(fd, head, 0, half, 0);
    readSync(fd, tail, 0, half, size - half);
    return `${head.toString('utf8')}\n[... ${size - 2 * half} bytes not kept ...]\n${tail.toString('utf8')}`;
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters not kept ...]\n${text.slice(-half)}`;
}

/**
 * Run argv (optionally inside a network namespace) and return one result shape
 * whether it succeeded, failed, timed out or could not start. Never throws for
 * a failing command: use `runOrThrow` for that.
 */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const events = options.events ?? defaultEvents;
  const id = events.nextId();
  const full = inNetns(options.netns, argv);
  const escapedCommand = escapeCommand(full);
  const startedAt = new Date();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  events.emit({
    kind: 'start',
    id,
    at: startedAt.toISOString(),
    argv: [...argv],
    netns: options.netns,
    escapedCommand,
    label: options.label,
  });

  const files = options.outputToFiles
    ? { stdout: outputFile(id, 'out'), stderr: outputFile(id, 'err') }
    : undefined;
  // Raw descriptors, not execa's {file}: execa would pipe through us and wait for every holder of the pipe.
  const fds = files
    ? { stdout: openSync(files.stdout, 'w'), stderr: openSync(files.stderr, 'w') }
    : undefined;
  let timedOut = false;
  let spawnError: string | undefined;
  let exitCode: number | undefined;
  let signal: string | undefined;
  let stdout = '';
  let stderr = '';

  const [file, ...args] = full;
  if (file === undefined) throw new CommandError('E_COMMAND_SPAWN', 'empty command', undefined);
  const spawnOptions: Options = {
    reject: false,
    // A group of its own, so a timeout kills everything the command started.
    detached: true,
    cleanup: true,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    stdout: (fds ? fds.stdout : 'pipe') as 'pipe',
    stderr: (fds ? fds.stderr : 'pipe') as 'pipe',
    env: options.env,
    cwd: options.cwd,
    stripFinalNewline: false,
    maxBuffer: maxOutput * 4,
    encoding: 'utf8',
  };
  const child = execa(file, args, spawnOptions);
  if (!fds) {
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.on('data', (chunk: Buffer | string) => {
        const text = chunk.toString();
        options.onOutput?.(stream, text);
        events.emit({ kind: 'output', id, at: new Date().toISOString(), stream, chunk: text });
      });
    }
  }
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  options.signal?.addEventListener('abort', killGroup, { once: true });
  if (options.signal?.aborted) killGroup();
  try {
    const outcome = await child;
    exitCode = outcome.exitCode;
    signal = outcome.signal;
    if (!files) {
      stdout = cap(String(outcome.stdout ?? ''), maxOutput);
      stderr = cap(String(outcome.stderr ?? ''), maxOutput);
    }
    if (outcome.failed && exitCode === undefined && signal === undefined && !timedOut) {
      spawnError = outcome.originalMessage ?? outcome.shortMessage ?? 'could not start';
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', killGroup);
    if (fds) {
      closeSync(fds.stdout);
      closeSync(fds.stderr);
    }
  }
  if (files) {
    stdout = readCapped(files.stdout, maxOutput);
    stderr = readCapped(files.stderr, maxOutput);
  }
  const result = makeResult({
    argv,
    netns: options.netns,
    escapedCommand,
    startedAt,
    exitCode,
    signal,
    stdout,
    stderr,
    timedOut,
    spawnError,
  });
  events.emit({ kind: 'end', id, at: new Date().toISOString(), result });
  return result;
}

/** As `run`, but throws a CommandError naming the single reason when the command did not exit 0. */
export async function runOrThrow(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const result = await run(argv, options);
  if (result.failed) throw CommandError.fromResult(result);
  return result;
}
