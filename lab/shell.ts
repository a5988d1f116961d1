import { $, type LogEntry } from 'zx';
import type { EventStream } from '../src/exec/events.js';
import type { CommandResult } from '../src/exec/types.js';

/**
 * zx for the harness's own housekeeping commands (collecting addresses,
 * snapshots): short shell lines that read well. Their log entries become
 * events of our stream, so they land in the transcript with everything else.
 */
export function labShell(events: EventStream) {
  const open = new Map<
    string,
    { id: number; cmd: string; started: number; startedAt: string; out: string; err: string }
  >();
  const log = (entry: LogEntry): void => {
    switch (entry.kind) {
      case 'cmd': {
        const id = events.nextId();
        const startedAt = new Date().toISOString();
        open.set(entry.id, { id, cmd: entry.cmd, started: Date.now(), startedAt, out: '', err: '' });
        events.emit({
          kind: 'start',
          id,
          at: startedAt,
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
        const result: CommandResult = {
          argv: ['sh', '-c', record.cmd],
          command: record.cmd,
          escapedCommand: record.cmd,
          netns: undefined,
          exitCode: entry.exitCode ?? undefined,
          signal: entry.signal ?? undefined,
          stdout: record.out,
          stderr: record.err,
          startedAt: record.startedAt,
          durationMs: Date.now() - record.started,
          timedOut: false,
          failed: entry.exitCode !== 0,
          spawnError: entry.error ? String(entry.error) : undefined,
        };
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
    timeout: '20s',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export type LabShell = ReturnType<typeof labShell>;
