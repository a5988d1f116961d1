import type { CommandEndEvent, CommandStartEvent, NoteEvent } from '../exec/types.js';
import type {
  CheckEvent,
  DiscoveryEvent,
  FindingEvent,
  PhaseEvent,
  ProbeEvent,
  RecordEvent,
  RunEvent,
  SnapshotEvent,
  StageEvent,
  StepEvent,
} from './types.js';

/**
 * One formatter per event kind, rendering the transcript.log format
 * (src/exec/transcript.ts documents it): commands as START/END records, every
 * lab event as a NOTE line, so the transcript reads as the run went. A kind
 * that renders to '' (live output chunks) has no line of its own: a command's
 * output is part of its END record.
 */

function indent(prefix: string, text: string): string {
  if (text === '') return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${body
    .split('\n')
    .map((line) => `  ${prefix} ${line}`)
    .join('\n')}\n`;
}

/** A NOTE record is one line: a newline in its text would start a record of its own. */
function note(at: string, text: string): string {
  return `${at} NOTE ${text.replaceAll('\n', ' ')}\n`;
}

export function formatStart(event: CommandStartEvent): string {
  return (
    `${event.at} #${event.id} START ns=${event.netns ?? '-'} label=${event.label ?? '-'}\n` +
    `  $ ${event.escapedCommand}\n` +
    `  argv ${JSON.stringify(event.argv)}\n`
  );
}

export function formatEnd(event: CommandEndEvent): string {
  const r = event.result;
  return (
    `${event.at} #${event.id} END exit=${r.exitCode ?? '-'} signal=${r.signal ?? '-'} ` +
    `timedOut=${r.timedOut} duration=${r.durationMs}ms\n` +
    indent('stdout|', r.stdout) +
    indent('stderr|', r.stderr) +
    (r.spawnError ? indent('error|', r.spawnError) : '')
  );
}

export function formatNote(event: NoteEvent): string {
  return note(event.at, event.text);
}

export function formatRun(event: RunEvent): string {
  if (event.state === 'begin')
    return note(event.at, `run begins${event.plan ? ` (plan ${event.plan})` : ''}`);
  const how = [
    event.deadlineHit ? 'deadline hit' : '',
    event.harnessError ? `harness error: ${event.harnessError}` : '',
    event.unsupportedSteps?.length ? `unsupported steps: ${event.unsupportedSteps.join(', ')}` : '',
  ].filter(Boolean);
  return note(event.at, `run ends${how.length > 0 ? ` (${how.join('; ')})` : ''}`);
}

/** `phase <id> begins` is the marker transcript readers have always looked for. */
export function formatPhase(event: PhaseEvent): string {
  if (event.state === 'begin') return note(event.at, `phase ${event.phase} begins`);
  if (event.state === 'not-reached') return note(event.at, `phase ${event.phase} not reached`);
  return note(
    event.at,
    `phase ${event.phase} ends${event.durationMs === undefined ? '' : ` after ${event.durationMs} ms`}${
      event.settleMs === undefined ? '' : `, settled in ${event.settleMs} ms`
    }`,
  );
}

export function formatStage(event: StageEvent): string {
  return note(event.at, `stage ${event.stage}: ${event.title}`);
}

export function formatStep(event: StepEvent): string {
  const r = event.result;
  return note(
    event.at,
    `step ${r.step} ${r.status} in ${r.durationMs} ms: ${event.title}${r.message ? ` (${r.message})` : ''}`,
  );
}

export function formatCheck(event: CheckEvent): string {
  const c = event.check;
  const left = c.leftBehind.length > 0 ? `, left behind ${c.leftBehind.length}` : '';
  return note(event.at, `check ${c.title}: exit ${c.exitCode ?? '-'} (wanted ${c.want})${left}`);
}

export function formatDiscovery(event: DiscoveryEvent): string {
  const found = event.subnets.map((s) =>
    s.netns ? `${s.key} in ${s.netns} (${s.address ?? '?'} via ${s.gateway ?? '-'})` : `${s.key} not found`,
  );
  return note(event.at, `discovery in stage ${event.stage}: ${found.join(', ') || 'nothing expected'}`);
}

export function formatProbe(event: ProbeEvent): string {
  const p = event.result;
  return note(
    event.at,
    `probe ${p.id} ${p.outcome} (expected ${p.expected}, ${p.tries} ${p.tries === 1 ? 'try' : 'tries'}, ${p.durationMs} ms)`,
  );
}

export function formatSnapshot(event: SnapshotEvent): string {
  const s = event.snapshot;
  return note(
    event.at,
    `snapshot ${event.which}: ${s.netns.length} namespaces, ${s.links.length} links, ${s.rules.length} rules, ${s.processes.length} processes`,
  );
}

export function formatFinding(event: FindingEvent): string {
  const f = event.finding;
  return note(event.at, `finding ${f.severity}[${f.id}]${f.phase ? ` (${f.phase})` : ''}: ${f.message}`);
}

type Formatters = { [K in RecordEvent['kind']]: (event: Extract<RecordEvent, { kind: K }>) => string };

export const FORMATTERS: Formatters = {
  start: formatStart,
  end: formatEnd,
  note: formatNote,
  output: () => '',
  run: formatRun,
  phase: formatPhase,
  stage: formatStage,
  step: formatStep,
  check: formatCheck,
  discovery: formatDiscovery,
  probe: formatProbe,
  snapshot: formatSnapshot,
  finding: formatFinding,
};

/** The transcript text of one event ('' for kinds without a line). */
export function formatEvent(event: RecordEvent): string {
  const format = FORMATTERS[event.kind] as (e: RecordEvent) => string;
  return format(event);
}
