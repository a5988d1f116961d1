import { formatEvent } from '../events/format.js';
import type { RecordEvent } from '../events/types.js';
import type { TranscriptCommand } from '../exec/transcript.js';
import type { CommandResult } from '../exec/types.js';
import type { CriterionResult } from '../model/summary.js';
import { sliceChars } from './text.js';

/**
 * Cut the run's event record into the parts a report shows next to a phase
 * or a criterion (docs/architecture.md "The event record"). A command belongs
 * to the phase in force when it started (a phase event `begin`), whenever it
 * ended; lab events show as the transcript's NOTE lines. Nothing is read back
 * from transcript text: a target printing a line that looks like a record
 * cannot move a boundary.
 */

/** What the reports are written from: the events, and transcript.log as the runner's sink wrote it. */
export interface RunRecord {
  events: readonly RecordEvent[];
  /** transcript.log's text (it also holds the sandbox's own set-up commands), embedded whole in the HTML. */
  transcript: string;
}

export interface TranscriptEntry {
  kind: 'note' | 'command';
  at: string;
  /** The phase in force when the record was written (undefined: before the first phase). */
  phase: string | undefined;
  /** note: its transcript line(s), as transcript.log has them. */
  text?: string;
  command?: TranscriptCommand;
}

export interface TranscriptIndex {
  entries: TranscriptEntry[];
  /** Phase ids in the order they began. */
  phases: string[];
  commands: TranscriptCommand[];
}

export interface ExcerptOptions {
  /** Cap on the whole excerpt, in characters. */
  maxChars?: number;
  /** Cap on each stdout/stderr of one command, in characters. */
  maxStreamChars?: number;
}

export const DEFAULT_EXCERPT_CHARS = 24_000;
export const DEFAULT_STREAM_CHARS = 2_000;

// The marker a runner wrote as a plain note before phases were events of their own.
const PHASE_NOTE = /^phase (\S+) begins$/;

function ended(command: TranscriptCommand, at: string, result: CommandResult): void {
  command.endedAt = at;
  command.exitCode = result.exitCode;
  command.signal = result.signal;
  command.timedOut = result.timedOut;
  command.durationMs = result.durationMs;
  command.stdout = result.stdout;
  command.stderr = result.stderr;
}

/** The entries of a record, each in the phase that was running when it happened. */
export function indexEvents(events: readonly RecordEvent[]): TranscriptIndex {
  const entries: TranscriptEntry[] = [];
  const phases: string[] = [];
  const open = new Map<number, TranscriptCommand>();
  let phase: string | undefined;
  const enter = (id: string): void => {
    phase = id;
    if (!phases.includes(id)) phases.push(id);
  };
  for (const event of events) {
    switch (event.kind) {
      case 'start': {
        const command: TranscriptCommand = {
          id: event.id,
          startedAt: event.at,
          endedAt: undefined,
          netns: event.netns,
          label: event.label,
          escapedCommand: event.escapedCommand,
          argv: [...event.argv],
          exitCode: undefined,
          signal: undefined,
          timedOut: false,
          durationMs: undefined,
          stdout: '',
          stderr: '',
        };
        open.set(event.id, command);
        entries.push({ kind: 'command', at: event.at, phase, command });
        break;
      }
      case 'end': {
        const command = open.get(event.id);
        if (command) ended(command, event.at, event.result);
        open.delete(event.id);
        break;
      }
      case 'output':
        break;
      case 'note': {
        const marker = PHASE_NOTE.exec(event.text)?.[1];
        if (marker !== undefined) {
          // The same boundary as a phase event just before it: one line is enough.
          if (marker === phase && entries.at(-1)?.text?.endsWith(` NOTE phase ${marker} begins\n`)) break;
          enter(marker);
        }
        entries.push({ kind: 'note', at: event.at, phase, text: formatEvent(event) });
        break;
      }
      default:
        if (event.kind === 'phase' && event.state === 'begin') enter(event.phase);
        entries.push({ kind: 'note', at: event.at, phase, text: formatEvent(event) });
    }
  }
  return {
    entries,
    phases,
    commands: entries.flatMap((entry) => (entry.command ? [entry.command] : [])),
  };
}

function capStream(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${sliceChars(text, max)}\n… [${text.length - max} more characters cut]\n`;
}

function streamLines(prefix: string, text: string): string {
  if (text === '') return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body
    .split('\n')
    .map((line) => `  ${prefix} ${line}\n`)
    .join('');
}

/** One command as the transcript shows it, START and END together, with its output capped. */
export function renderCommand(command: TranscriptCommand, maxStreamChars = DEFAULT_STREAM_CHARS): string {
  const head = `${command.startedAt} #${command.id} ns=${command.netns ?? '-'} label=${command.label ?? '-'}\n`;
  const end =
    command.endedAt === undefined
      ? '  (no END record: the command never finished or the record was cut)\n'
      : `  exit=${command.exitCode ?? '-'} signal=${command.signal ?? '-'} timedOut=${command.timedOut} ` +
        `duration=${command.durationMs ?? '-'}ms\n`;
  return (
    head +
    `  $ ${command.escapedCommand}\n` +
    end +
    streamLines('stdout|', capStream(command.stdout, maxStreamChars)) +
    streamLines('stderr|', capStream(command.stderr, maxStreamChars))
  );
}

function renderEntry(entry: TranscriptEntry, maxStreamChars: number): string {
  if (entry.command) return renderCommand(entry.command, maxStreamChars);
  return entry.text ?? '';
}

/** Join rendered entries until the cap, then say how much was left out. */
function joinCapped(entries: TranscriptEntry[], options: ExcerptOptions, where: string): string {
  const maxChars = options.maxChars ?? DEFAULT_EXCERPT_CHARS;
  const maxStream = options.maxStreamChars ?? DEFAULT_STREAM_CHARS;
  let out = '';
  for (const [index, entry] of entries.entries()) {
    const text = renderEntry(entry, maxStream);
    if (out.length + text.length > maxChars) {
      const left = entries.length - index;
      const room = maxChars - out.length;
      if (room > 200) out += `${sliceChars(text, room - 80)}\n`;
      return `${out}… [excerpt capped at ${maxChars} characters: ${left} more record(s) of ${where} cut; see transcript.log]\n`;
    }
    out += text;
  }
  return out;
}

/** Every note and command of a phase, in record order, capped. Empty when the phase has no records. */
export function phaseExcerpt(index: TranscriptIndex, phase: string, options: ExcerptOptions = {}): string {
  const entries = index.entries.filter((entry) => entry.phase === phase);
  return joinCapped(entries, options, `phase ${phase}`);
}

function labelNames(label: string | undefined, probeId: string): boolean {
  return label !== undefined && (label === probeId || label.endsWith(`:${probeId}`));
}

/**
 * The commands that ran the probes of a criterion: matched by their pasteable
 * command or by a label naming the probe id, within the probe's phase when the
 * record marks that phase (a probe repeated in a later phase is evidence there).
 */
export function criterionCommands(index: TranscriptIndex, criterion: CriterionResult): TranscriptCommand[] {
  const matched = new Set<TranscriptCommand>();
  for (const probe of criterion.probes) {
    const scoped = index.phases.includes(probe.phase);
    for (const entry of index.entries) {
      const command = entry.command;
      if (!command) continue;
      if (scoped && entry.phase !== probe.phase) continue;
      if (command.escapedCommand === probe.command || labelNames(command.label, probe.id)) {
        matched.add(command);
      }
    }
  }
  return index.commands.filter((command) => matched.has(command));
}

export function criterionExcerpt(
  index: TranscriptIndex,
  criterion: CriterionResult,
  options: ExcerptOptions = {},
): string {
  const commands = new Set(criterionCommands(index, criterion));
  const entries = index.entries.filter((entry) => entry.command && commands.has(entry.command));
  return joinCapped(entries, options, `criterion ${criterion.id}`);
}
