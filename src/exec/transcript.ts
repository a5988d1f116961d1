/**
 * The transcript format: readable as `script -f` output, parseable line by line.
 *
 *   2026-11-24T15:00:00.000Z #12 START ns=vpc1-publicsub label=probe:icmp
 *     $ ip netns exec vpc1-publicsub ping -c 1 10.0.2.2
 *     argv ["ping","-c","1","10.0.2.2"]
 *   2026-11-24T15:00:00.007Z #12 END exit=0 signal=- timedOut=false duration=7ms
 *     stdout| PING 10.0.2.2 ...
 *     stderr| ...
 *   2026-11-24T15:00:00.010Z NOTE phase vpc1 begins
 *
 * Lab events (src/events) are NOTE lines. Every record starts at column 0
 * with an ISO timestamp; the indented lines after it belong to it. A record is written with one call, so concurrent
 * commands never interleave inside a record.
 */
// The formatters and the sink live with the event record (src/events); parsing the text stays here.
export { formatEvent } from '../events/format.js';
export { TRANSCRIPT_HEADER, transcriptSink } from '../events/transcript.js';

export interface TranscriptCommand {
  id: number;
  startedAt: string;
  endedAt: string | undefined;
  netns: string | undefined;
  label: string | undefined;
  escapedCommand: string;
  argv: string[];
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  durationMs: number | undefined;
  stdout: string;
  stderr: string;
}

export interface ParsedTranscript {
  commands: TranscriptCommand[];
  notes: { at: string; text: string }[];
}

const RECORD = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (?:#(\d+) (START|END)|NOTE) ?(.*)$/;

function field(rest: string, name: string): string | undefined {
  const match = new RegExp(`(?:^| )${name}=(\\S+)`).exec(rest);
  const value = match?.[1];
  return value === undefined || value === '-' ? undefined : value;
}

/** Parse a transcript back into commands (by id) and notes. */
export function parseTranscript(text: string): ParsedTranscript {
  // Several processes may write one transcript (the sandbox's PID 1, then the
  // harness); an END belongs to the latest START with its id.
  const commands: TranscriptCommand[] = [];
  const byId = new Map<number, TranscriptCommand>();
  const notes: ParsedTranscript['notes'] = [];
  let current: TranscriptCommand | undefined;
  for (const line of text.split('\n')) {
    const record = RECORD.exec(line);
    if (record) {
      const [, at = '', idText, kind, rest = ''] = record;
      if (idText === undefined) {
        notes.push({ at, text: rest });
        current = undefined;
        continue;
      }
      const id = Number(idText);
      if (kind === 'START') {
        current = {
          id,
          startedAt: at,
          endedAt: undefined,
          netns: field(rest, 'ns'),
          label: field(rest, 'label'),
          escapedCommand: '',
          argv: [],
          exitCode: undefined,
          signal: undefined,
          timedOut: false,
          durationMs: undefined,
          stdout: '',
          stderr: '',
        };
        byId.set(id, current);
        commands.push(current);
      } else {
        current = byId.get(id);
        if (!current) continue;
        current.endedAt = at;
        const exit = field(rest, 'exit');
        current.exitCode = exit === undefined ? undefined : Number(exit);
        current.signal = field(rest, 'signal');
        current.timedOut = field(rest, 'timedOut') === 'true';
        const duration = field(rest, 'duration');
        current.durationMs = duration === undefined ? undefined : Number.parseInt(duration, 10);
      }
      continue;
    }
    if (!current) continue;
    if (line.startsWith('  $ ')) current.escapedCommand = line.slice(4);
    else if (line.startsWith('  argv ')) current.argv = JSON.parse(line.slice(7)) as string[];
    else if (line.startsWith('  stdout| ')) current.stdout += `${line.slice(10)}\n`;
    else if (line.startsWith('  stderr| ')) current.stderr += `${line.slice(10)}\n`;
  }
  return { commands, notes };
}
