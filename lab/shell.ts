import { $, type LogEntry } from 'zx';
import type { EventStream } from '../src/exec/events.js';
import { makeResult } from '../src/exec/result.js';

export interface LabShellOptions {
  /** A housekeeping command running longer is killed and recorded as timed out. Default 20 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const TIMEOUT_SIGNAL = 'SIGTERM';

/**
 * zx for the harness's own housekeeping commands (collecting addresses,
 * snapshots): short shell lines that read well. Their log entries become
 * events of our stream, so they land in the record with everything else.
 */
export function labShell(events: EventStream, options: LabShellOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const open = new Map<string, { id: number; cmd: string; started: Date; out: string; err: string }>();
  const log = (entry: LogEntry): void => {
    switch (entry.kind) {
      case 'cmd': {
        const id = events.nextId();
        const started = new Date();
        open.set(entry.id, { id, cmd: entry.cmd, started, out: '', err: '' });
        events.emit({
          kind: 'start',
          id,
          at: started.toISOString(),
          argv: ['sh', '-c', entry.cmd],
          netns: undefined,
          escapedCommand: entry.cmd,
          label: 'harness',
        });
        break;
      }
      case 'stdout':
      case 'stderr': {
        const record = open.get(entry.id);
        if (record) record[entry.kind === 'stdout' ? 'out' : 'err'] += entry.data.toString();
        break;
      }
      case 'end': {
        const record = open.get(entry.id);
        if (!record) break;
        open.delete(entry.id);
        const durationMs = Date.now() - record.started.getTime();
        const result = makeResult({
          argv: ['sh', '-c', record.cmd],
          command: record.cmd,
          escapedCommand: record.cmd,
          startedAt: record.started,
          durationMs,
          exitCode: entry.exitCode,
          signal: entry.signal,
          stdout: record.out,
          stderr: record.err,
          // zx's own timer sends the timeout signal: that signal at (or past) the limit is zx's, not the command's.
          timedOut: entry.signal === TIMEOUT_SIGNAL && durationMs >= timeoutMs,
          spawnError: entry.exitCode === null && entry.signal === null ? entry.error : undefined,
        });
        events.emit({ kind: 'end', id: record.id, at: new Date().toISOString(), result });
        break;
      }
      default:
        break;
    }
  };
  return $({
    nothrow: true,
    quiet: true,
    verbose: true,
    log,
    timeout: timeoutMs,
    timeoutSignal: TIMEOUT_SIGNAL,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export type LabShell = ReturnType<typeof labShell>;
