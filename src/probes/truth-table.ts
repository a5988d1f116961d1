import type { PhaseId } from '../model/evidence.js';
import {
  type ProbeKind,
  type ProbeResult,
  type TruthCell,
  type TruthTable,
  verdictOf,
} from '../model/probe.js';
import { placeProbe, stageById } from '../plan/lookup.js';
import { STAGE4_PLAN } from '../plan/stage4.js';
import type { LabPlan } from '../plan/types.js';

/**
 * Expected vs actual per source and destination, one table per stage and
 * probe kind (as cyclonus prints them), for reports and terminals.
 */

const KIND_TITLE: Record<ProbeKind, string> = { icmp: 'ICMP', tcp: 'TCP', http: 'HTTP' };

function columnOf(probe: ProbeResult): string {
  return probe.kind === 'icmp' || probe.port === undefined
    ? probe.to.label
    : `${probe.to.label}:${probe.port}`;
}

function noteOf(probe: ProbeResult): string | undefined {
  if (probe.outcome === 'error') return `probe error: ${probe.detail ?? 'unknown'}`;
  if (probe.controlsPassed === false && verdictOf(probe.outcome) === 'blocked') {
    return `not counted: a positive control from ${probe.from.label} did not pass`;
  }
  if (probe.once && probe.outcome !== 'connected')
    return 'an observation, tried once: judged by no criterion';
  if (probe.tries > 1) return `${probe.outcome} after ${probe.tries} tries`;
  return undefined;
}

function ordered(values: Iterable<string>, order: string[]): string[] {
  const rank = (v: string) => {
    const i = order.findIndex((o) => v === o || v.startsWith(`${o}:`));
    return i < 0 ? order.length : i;
  };
  return [...new Set(values)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function buildTruthTables(
  phase: PhaseId | string,
  probes: readonly ProbeResult[],
  plan: LabPlan = STAGE4_PLAN,
): TruthTable[] {
  const labelOrder = [...plan.vpcs.flatMap((v) => v.subnets.map((s) => s.label)), plan.internet.label];
  const groups = new Map<string, { title: string; kind: ProbeKind; probes: ProbeResult[] }>();
  for (const probe of probes) {
    const stageId = placeProbe(plan, probe.id)?.stage;
    const stage = stageId ? stageById(plan, stageId)?.stage : undefined;
    const stageTitle = stage ? `${phase}: ${stage.title}` : String(phase);
    const key = `${stageId ?? phase}\u0000${probe.kind}`;
    const group = groups.get(key) ?? {
      title: `${stageTitle} (${KIND_TITLE[probe.kind]})`,
      kind: probe.kind,
      probes: [],
    };
    group.probes.push(probe);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const cells: TruthCell[] = group.probes.map((probe) => {
      const note = noteOf(probe);
      return {
        from: probe.from.label,
        to: columnOf(probe),
        expected: probe.expected,
        actual: verdictOf(probe.outcome),
        probeId: probe.id,
        command: probe.command,
        ...(note ? { note } : {}),
      };
    });
    return {
      phase: String(phase),
      kind: group.kind,
      title: group.title,
      rows: ordered(
        cells.map((c) => c.from),
        labelOrder,
      ),
      columns: ordered(
        cells.map((c) => c.to),
        labelOrder,
      ),
      cells,
    };
  });
}

function cellText(cell: TruthCell | undefined): string {
  if (!cell) return '.';
  if (cell.actual === 'checkfailed') return 'ERROR!';
  const matches = cell.actual === cell.expected;
  const word = cell.actual === 'allowed' ? 'allow' : 'block';
  if (cell.note?.startsWith('not counted')) return `${word}?`;
  return matches ? word : `${word.toUpperCase()}!`;
}

/** A plain-text table for terminals, with every mismatch and its command below it. */
export function renderTruthTable(table: TruthTable): string {
  const header = ['from \\ to', ...table.columns];
  const rows = table.rows.map((row) => [
    row,
    ...table.columns.map((column) => cellText(table.cells.find((c) => c.from === row && c.to === column))),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [table.title, line(header), ...rows.map(line)];
  const wrong = table.cells.filter((c) => c.actual !== c.expected || c.note?.startsWith('not counted'));
  for (const cell of wrong) {
    out.push(
      `  ! ${cell.from} -> ${cell.to}: expected ${cell.expected}, got ${cell.actual}${cell.note ? ` (${cell.note})` : ''}`,
    );
    if (cell.command) out.push(`    $ ${cell.command}`);
  }
  return `${out.join('\n')}\n`;
}

export const TRUTH_TABLE_LEGEND =
  'allow/block = as expected; ALLOW!/BLOCK! = not as expected; block? = blocked but not counted (no positive control); ERROR! = the probe itself broke; . = not probed';

export function renderTruthTables(tables: readonly TruthTable[]): string {
  if (tables.length === 0) return '';
  return `${tables.map(renderTruthTable).join('\n')}\n${TRUTH_TABLE_LEGEND}\n`;
}
