import type { ParsedTranscript, TranscriptCommand } from '../exec/transcript.js';
import { parseTranscript } from '../exec/transcript.js';
import type { CriterionResult } from '../model/summary.js';
import { sliceChars } from './text.js';

/**
 * Cut the transcript into the parts a report shows next to a phase or a
 * criterion. The lab runner writes a NOTE `phase <id> begins` at each phase
 * start; a command belongs to the phase whose note precedes its START record
 * in the file (timestamps alone cannot order records of the same millisecond).
 * Command ids are not unique (the sandbox's PID 1 and the harness both write
 * the file), so commands are paired with their START lines by position.
 */

export interface TranscriptEntry {
  kind: 'note' | 'command';
  at: string;
  /** The phase in force when the record was written (undefined: before the first phase note). */
  phase: string | undefined;
  text?: string;
  command?: TranscriptCommand;
}

export interface TranscriptIndex {
  entries: TranscriptEntry[];
  /** Phase ids in the order their notes appear. */
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

const PHASE_NOTE = /^phase (\S+) begins\b/;
// The record line as parseTranscript reads it, so the n-th START here is its n-th command.
const RECORD = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (?:#(\d+) (START|END)|NOTE) ?(.*)$/;

/** parseTranscript, tolerant of a transcript cut mid-record (a crashed run): unparseable argv lines are dropped. */
export function parseTranscriptSafe(text: string): ParsedTranscript {
  try {
    return parseTranscript(text);
  } catch {
    const kept = text.split('\n').filter((line) => {
      if (!line.startsWith('  argv ')) return true;
      try {
        JSON.parse(line.slice(7));
        return true;
      } catch {
        return false;
      }
    });
    return parseTranscript(kept.join('\n'));
  }
}

export function indexTranscript(text: string): TranscriptIndex {
  const parsed = parseTranscriptSafe(text);
  const entries: TranscriptEntry[] = [];
  const phases: string[] = [];
  let phase: string | undefined;
  let started = 0;
  for (const line of text.split('\n')) {
    const match = RECORD.exec(line);
    if (!match) continue;
    const [, at = '', idText, kind, rest = ''] = match;
    if (idText === undefined) {
      const begins = PHASE_NOTE.exec(rest);
      if (begins?.[1] !== undefined) {
        phase = begins[1];
        if (!phases.includes(phase)) phases.push(phase);
      }
      entries.push({ kind: 'note', at, phase, text: rest });
    } else if (kind === 'START') {
      const command = parsed.commands[started++];
      if (command) entries.push({ kind: 'command', at, phase, command });
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
      ? '  (no END record: the command never finished or the transcript was cut)\n'
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
  return `${entry.at} NOTE ${entry.text ?? ''}\n`;
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

/** Every note and command of a phase, in transcript order, capped. Empty when the phase has no records. */
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
 * transcript marks that phase (a probe repeated in a later phase is evidence there).
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
