import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../criteria/ids.js';
import type { CriterionStatus } from '../model/criteria.js';
import type { TruthCell, TruthTable } from '../model/probe.js';
import type { CriterionResult, Summary, Topology, TopologyVpc } from '../model/summary.js';
import { comparePhases, formatDuration, sortFindings } from './order.js';
import { oneLine, truncate } from './text.js';
import { INTERNET_HOST, peeringState, topologyOf, UPLINK } from './topology.js';

/**
 * Markdown for `$GITHUB_STEP_SUMMARY` (GitHub-flavoured: tables, a mermaid
 * block). Every string that can come from a target (messages quote its
 * output; namespace names and addresses are discovered) goes through md()
 * or mermaidText(), so it can neither break a table nor inject markup.
 */

export const STATUS: Record<CriterionStatus, { symbol: string; word: string }> = {
  passed: { symbol: '✅', word: 'passed' },
  failed: { symbol: '❌', word: 'failed' },
  error: { symbol: '⚠️', word: 'error' },
  'not-run': { symbol: '⏭️', word: 'not run' },
};

// C0 and C1 controls but the whitespace that oneLine() folds: a target's bytes must not reach the page raw.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Text for a Markdown table cell or paragraph: one line, HTML and Markdown punctuation escaped. */
export function md(text: string, max = 300): string {
  return truncate(oneLine(text.replace(CONTROL, '\uFFFD')), max)
    .replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text inside a quoted mermaid label: mermaid's entity codes, so no quote, bracket or fence gets through. */
export function mermaidText(text: string): string {
  return truncate(oneLine(text.replace(CONTROL, '\uFFFD')), 80).replace(
    /[#"<>&`|\\]/g,
    (char) => `#${char.charCodeAt(0)};`,
  );
}

/** A GitHub-flavoured Markdown table (cells already escaped). */
export function table(header: string[], rows: string[][], align?: ('l' | 'c')[]): string {
  const rule = header.map((_, i) => (align?.[i] === 'c' ? ':-:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function criterion(summary: Summary, id: string): CriterionResult | undefined {
  return summary.criteria.find((c) => c.id === id);
}

/** VPCs whose subnets probed the internet host: the ones the plan NATs out of eth0. */
function natVpcs(summary: Summary, topology: Topology): Set<string> {
  const names = new Set<string>();
  for (const c of summary.criteria) {
    for (const probe of c.probes) {
      if (probe.to.subnet === undefined && probe.from.subnet)
        names.add(probe.from.subnet.split('/')[0] ?? '');
    }
  }
  if (names.size === 0 && topology.vpcs[0]) names.add(topology.vpcs[0].name);
  return names;
}

function statusMark(c: CriterionResult | undefined): string {
  return c ? STATUS[c.status].symbol : '';
}

/** A mermaid flowchart of the lab: VPCs with their subnets and router, peering, the eth0 uplink, the internet host. */
export function formatTopologyMermaid(summary: Summary): string {
  // The same plan report.html draws: the summary's own, or the Stage 4 plan filled in from the probes.
  const topology = topologyOf(summary);
  const lines = ['flowchart LR'];
  lines.push(`  inet(("internet host<br/>${mermaidText(INTERNET_HOST)}"))`);
  lines.push(`  wan["${mermaidText(`${UPLINK.name} uplink`)}<br/>${mermaidText(UPLINK.address)}"]`);
  lines.push('  wan --- inet');
  const routerOf = new Map<string, string>();
  const missing: string[] = [];
  topology.vpcs.forEach((vpc: TopologyVpc, v) => {
    const router = `v${v}r`;
    routerOf.set(vpc.name, router);
    lines.push(`  subgraph v${v}["${mermaidText(`${vpc.name} · ${vpc.cidr}`)}"]`);
    lines.push(`    ${router}{{"router / bridge"}}`);
    vpc.subnets.forEach((subnet, s) => {
      const id = `v${v}s${s}`;
      const parts = [`${subnet.name} (${subnet.type})`, subnet.cidr];
      if (subnet.netns !== undefined || subnet.address !== undefined) {
        parts.push(`ns ${subnet.netns ?? '?'} · ${subnet.address ?? '?'}`);
      }
      if (subnet.problem) {
        parts.push(`not found: ${subnet.problem}`);
        missing.push(id);
      }
      lines.push(`    ${id}["${parts.map(mermaidText).join('<br/>')}"]`);
      lines.push(`    ${router} --- ${id}`);
    });
    lines.push('  end');
  });
  const nat = criterion(summary, 'nat-public-egress');
  for (const name of natVpcs(summary, topology)) {
    const router = routerOf.get(name);
    if (router) lines.push(`  ${router} ==>|"NAT ${statusMark(nat)}"| wan`);
  }
  // Drawn once the peering phase ran, as in report.html; a phase whose steps broke says so.
  const state = peeringState(summary);
  const label =
    state === 'broken'
      ? 'peering steps failed ❌'
      : `peering ${statusMark(criterion(summary, 'peering-public'))}`;
  for (const [a, b] of state === 'absent' ? [] : topology.peerings) {
    const ra = routerOf.get(a);
    const rb = routerOf.get(b);
    if (ra && rb) lines.push(`  ${ra} <-.->|"${label.trim()}"| ${rb}`);
  }
  if (missing.length > 0) {
    lines.push('  classDef missing stroke:#cf222e,stroke-width:2px,stroke-dasharray:4 2');
    lines.push(`  class ${missing.join(',')} missing`);
  }
  return lines.join('\n');
}

function truthCell(cell: TruthCell | undefined): string {
  if (!cell) return '·';
  const note = cell.note ? `; ${md(cell.note, 120)}` : '';
  if (cell.actual === 'checkfailed') return `⚠️ check failed (expected ${cell.expected}${note})`;
  if (cell.actual === cell.expected) return `✅ ${cell.actual}${note ? ` (${note.slice(2)})` : ''}`;
  return `❌ ${cell.actual} (expected ${cell.expected}${note})`;
}

/** One truth table: rows are sources, columns destinations, each cell actual vs expected. */
export function formatTruthTable(t: TruthTable): string {
  const header = ['from \\ to', ...t.columns.map((c) => md(c, 60))];
  const rows = t.rows.map((from) => [
    `**${md(from, 60)}**`,
    ...t.columns.map((to) => truthCell(t.cells.find((c) => c.from === from && c.to === to))),
  ]);
  return table(header, rows, ['l', ...t.columns.map(() => 'c' as const)]);
}

function criteriaTable(criteria: CriterionResult[]): string {
  return table(
    ['', 'criterion', 'status', 'reason'],
    criteria.map((c) => [STATUS[c.status].symbol, `\`${c.id}\``, STATUS[c.status].word, md(c.message)]),
    ['c', 'l', 'l', 'l'],
  );
}

function ordered(summary: Summary, ids: readonly string[]): CriterionResult[] {
  return ids.flatMap((id) => summary.criteria.filter((c) => c.id === id));
}

/** The job summary of one run: verdict, criteria, findings, topology, truth tables. */
export function formatMarkdownSummary(summary: Summary): string {
  const stage4 = ordered(summary, STAGE4_CRITERIA);
  const advisory = ordered(summary, ADVISORY_CRITERIA);
  const passed = stage4.filter((c) => c.status === 'passed').length;
  const verdict = summary.verdict === 'pass' ? '✅ PASS' : '❌ FAIL';
  const out: string[] = [];
  out.push(`## vpc-verify: ${verdict} (${passed}/${STAGE4_CRITERIA.length} Stage 4 criteria passed)`);
  out.push('');
  out.push(
    table(
      ['target', 'profile', 'run', 'started', 'duration', 'start state'],
      [
        [
          md(summary.target.dir, 120),
          md(summary.profile.name, 60),
          md(summary.runId, 80),
          md(summary.startedAt, 40),
          formatDuration(summary.durationMs),
          md(String(summary.environment.startState?.name ?? '?'), 40),
        ],
      ],
    ),
  );
  if (summary.deadlineHit) {
    out.push('', '> **⚠️ The run hit its overall deadline:** it counts as failed whatever the criteria say.');
  }
  out.push('', '### Criteria', '', criteriaTable(stage4));
  if (advisory.length > 0) {
    out.push('', '**Advisory** (reported, never part of the verdict):', '', criteriaTable(advisory));
  }
  if (summary.findings.length > 0) {
    out.push('', '### Findings', '');
    for (const f of sortFindings(summary.findings)) {
      const mark = f.severity === 'warning' ? '⚠️' : 'ℹ️';
      out.push(`- ${mark} **${md(f.id, 60)}**${f.phase ? ` (${md(f.phase, 40)})` : ''}: ${md(f.message)}`);
    }
  }
  out.push('', '### Topology', '', '```mermaid', formatTopologyMermaid(summary), '```');
  const phases = [...summary.phases].sort((a, b) => comparePhases(a.id, b.id));
  const tables = phases.flatMap((p) => p.truthTables.map((t) => ({ phase: p, t })));
  if (tables.length > 0) {
    out.push('', '### Truth tables', '');
    out.push(
      'Rows are sources, columns destinations; each cell shows what the probe saw (expected in brackets when it differs).',
    );
    for (const { phase, t } of tables) {
      const settle = phase.settleMs === undefined ? '' : ` · settled in ${formatDuration(phase.settleMs)}`;
      out.push(
        '',
        `#### ${md(phase.title, 80)}: ${md(t.title, 80)} (${t.kind}${settle})`,
        '',
        formatTruthTable(t),
      );
    }
  }
  out.push(
    '',
    `Reports: ${md(summary.reportsDir, 200)} (report.html, junit.xml, transcript.log, summary.json).`,
  );
  return `${out.join('\n')}\n`;
}
