import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADVISORY_CRITERIA, STAGE4_CRITERIA } from '../criteria/ids.js';
import { INFERRED_PROFILE_FILE, INIT_LOG_FILE } from '../init/files.js';
import type { CriterionStatus } from '../model/criteria.js';
import { type ProbeResult, type TruthCell, type TruthTable, verdictOf } from '../model/probe.js';
import type { CriterionResult, Finding, StepResult, Summary } from '../model/summary.js';
import { anchor, html, type Markup, trusted } from './html-template.js';
import {
  describeProbe,
  formatDuration,
  isFailingProbe,
  type PhaseView,
  phaseViews,
  sortCriteria,
  sortFindings,
  sortProbes,
} from './order.js';
import { STATUS_SYMBOL } from './terminal.js';
import { oneLine, sliceChars } from './text.js';
import { topologySvg } from './topology.js';
import { indexEvents, phaseExcerpt, type RunRecord, type TranscriptIndex } from './transcript-excerpt.js';

export const HTML_FILE = 'report.html';

/** The embedded transcript is cut here; transcript.log beside the page has all of it. */
const TRANSCRIPT_CHARS = 2_000_000;
const STDERR_CHARS = 4_000;
const PHASE_TRANSCRIPT_CHARS = 48_000;

const CSS = trusted(`
:root { --pass:#1a7f37; --pass-bg:#dafbe1; --fail:#cf222e; --fail-bg:#ffebe9; --err:#9a6700; --err-bg:#fff8c5;
  --skip:#57606a; --skip-bg:#eaeef2; --line:#d0d7de; --muted:#57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 24px; max-width: 1200px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; } h4 { font-size: 14px; margin: 14px 0 4px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: 4px 0; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.muted, small { color: var(--muted); }
.verdict { padding: 16px 20px; border-radius: 8px; margin-bottom: 16px; }
.verdict.pass { background: var(--pass-bg); border: 2px solid var(--pass); } .verdict.fail { background: var(--fail-bg); border: 2px solid var(--fail); }
.verdict .word { font-size: 28px; font-weight: 700; } .verdict.pass .word { color: var(--pass); } .verdict.fail .word { color: var(--fail); }
.status { font-weight: 600; white-space: nowrap; }
.status.passed, .ok { color: var(--pass); } .status.failed, .bad { color: var(--fail); } .status.error, .broken { color: var(--err); }
.status.not-run, .none { color: var(--skip); }
tr.passed td.sym, td.ok { background: var(--pass-bg); } tr.failed td.sym, td.bad { background: var(--fail-bg); }
tr.error td.sym, td.broken { background: var(--err-bg); } tr.not-run td.sym, td.none { background: var(--skip-bg); }
.tag { font-size: 11px; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; color: var(--muted); }
.truth td { text-align: center; min-width: 110px; } .truth td.rowhead, .truth th { text-align: left; }
.truth .sym { font-size: 16px; font-weight: 700; }
details > summary { cursor: pointer; } details.criterion { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 6px 10px; }
.finding { border-left: 4px solid var(--err); background: var(--err-bg); padding: 6px 10px; margin: 6px 0; }
.finding.info { border-color: var(--skip); background: var(--skip-bg); }
tr.failing td { background: var(--fail-bg); }
.topology { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
.topology rect { stroke: #57606a; stroke-width: 1.2; fill: #fff; }
.topology .vpc > rect { fill: #f6f8fa; } .topology .internet rect { fill: #ddf4ff; } .topology .host rect { fill: #fff8c5; }
.topology .router rect { fill: #eaeef2; } .topology .subnet.public rect { fill: #dafbe1; } .topology .subnet.private rect { fill: #fbefff; }
.topology .link { stroke: #57606a; stroke-width: 1.5; }
.topology .peering line { stroke: #0969da; stroke-width: 3; } .topology .peering.broken line { stroke: var(--fail); stroke-dasharray: 6 4; }
.topology .strong, .topology .title { font-weight: 600; } .topology .title { font-size: 14px; } .topology .small { font-size: 11px; }
.topology .middle { text-anchor: middle; } .topology .missing { fill: var(--fail); }
`);

const STATUS_WORD: Record<CriterionStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  'not-run': 'not run',
};

function statusBadge(status: CriterionStatus): Markup {
  return html`<span class="status ${status}">${STATUS_SYMBOL[status]} ${STATUS_WORD[status]}</span>`;
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${sliceChars(text, max)}\n… [${text.length - max} more characters cut]`;
}

function header(summary: Summary, criteria: CriterionResult[]): Markup {
  const passed = (ids: readonly string[]) =>
    ids.filter((id) => criteria.some((c) => c.id === id && c.status === 'passed')).length;
  const pass = summary.verdict === 'pass';
  return html`<div class="verdict ${pass ? 'pass' : 'fail'}">
<div><span class="word">${pass ? '✔ PASS' : '✘ FAIL'}</span>
 ${passed(STAGE4_CRITERIA)} of ${STAGE4_CRITERIA.length} Stage 4 criteria passed
 <span class="muted">(advisory: ${passed(ADVISORY_CRITERIA)} of ${ADVISORY_CRITERIA.length})</span>
 ${summary.deadlineHit ? html`<strong class="bad"> · the run hit its deadline</strong>` : ''}</div>
<div class="muted">target <code>${summary.target.command.join(' ')}</code> in <code>${summary.target.dir}</code>${
    summary.target.reference ? ' (reference)' : ''
  } · profile <code>${summary.profile.name}</code>${
    summary.profile.inferred
      ? html` (inferred by <code>vpc-verify init</code>: <a href="${INFERRED_PROFILE_FILE}">${INFERRED_PROFILE_FILE}</a>, <a href="${INIT_LOG_FILE}">how each step was found</a>)`
      : ''
  } · started ${summary.startedAt} · took ${formatDuration(
    summary.durationMs,
  )} · run <code>${summary.runId}</code></div>
</div>`;
}

function criteriaTable(criteria: CriterionResult[]): Markup {
  const row = (c: CriterionResult) => html`<tr class="${c.status}">
<td class="sym">${statusBadge(c.status)}</td>
<td><a href="#${anchor('criterion', c.id)}"><code>${c.id}</code></a>${c.advisory ? html` <span class="tag">advisory</span>` : ''}</td>
<td>${oneLine(c.message)}</td>
<td><a href="#${anchor('phase', c.phase)}">${c.phase}</a></td></tr>`;
  return html`<table class="criteria"><thead><tr><th>status</th><th>criterion</th><th>reason</th><th>phase</th></tr></thead>
<tbody>${criteria.filter((c) => !c.advisory).map(row)}
${criteria.some((c) => c.advisory) ? html`<tr><th colspan="4">advisory (never changes the verdict)</th></tr>` : ''}
${criteria.filter((c) => c.advisory).map(row)}</tbody></table>`;
}

function findingsSection(findings: Finding[]): Markup {
  if (findings.length === 0) return html`<p class="muted">No findings.</p>`;
  return html`${findings.map(
    (f) =>
      html`<div class="finding ${f.severity}"><strong>${f.severity}</strong> <code>${f.id}</code>${
        f.phase
          ? html` <span class="muted">in <a href="#${anchor('phase', f.phase)}">${f.phase}</a></span>`
          : ''
      }: ${f.message}</div>`,
  )}`;
}

function probeTable(probes: ProbeResult[]): Markup {
  if (probes.length === 0)
    return html`<p class="muted">No probe: decided by the phase's steps and state checks.</p>`;
  const row = (p: ProbeResult) => {
    const actual = verdictOf(p.outcome);
    return html`<tr class="${isFailingProbe(p) ? 'failing' : ''}">
<td>${isFailingProbe(p) ? html`<span class="bad">✘</span>` : html`<span class="ok">✔</span>`}</td>
<td>${describeProbe(p)}${p.control ? html` <span class="tag">control</span>` : ''}<br><small>phase ${p.phase}</small></td>
<td>${p.expected}</td><td>${actual} <small>(${p.outcome})</small></td>
<td>${p.tries}</td><td>${formatDuration(p.durationMs)}</td>
<td><code>${p.command}</code>${p.detail ? html`<br><small>${p.detail}</small>` : ''}${
      p.seenSource ? html`<br><small>seen source ${p.seenSource}</small>` : ''
    }${p.httpStatus !== undefined ? html`<br><small>HTTP ${p.httpStatus}</small>` : ''}</td></tr>`;
  };
  return html`<table class="probes"><thead><tr><th></th><th>probe</th><th>expected</th><th>actual</th><th>tries</th><th>time</th><th>command</th></tr></thead>
<tbody>${sortProbes(probes).map(row)}</tbody></table>`;
}

function criterionDetails(c: CriterionResult): Markup {
  return html`<details class="criterion" id="${anchor('criterion', c.id)}"${c.status === 'passed' ? '' : trusted(' open')}>
<summary>${statusBadge(c.status)} <code>${c.id}</code>${c.advisory ? html` <span class="tag">advisory</span>` : ''} — ${oneLine(
    c.message,
  )}</summary>
${probeTable(c.probes)}
</details>`;
}

function truthCell(cell: TruthCell | undefined): Markup {
  if (!cell) return html`<td class="none" title="not probed">—</td>`;
  const cls = cell.actual === 'checkfailed' ? 'broken' : cell.actual === cell.expected ? 'ok' : 'bad';
  const symbol = cls === 'ok' ? '✔' : cls === 'bad' ? '✘' : '!';
  return html`<td class="${cls}" title="${cell.command}"><span class="sym">${symbol}</span> ${cell.actual}<br>
<small>expected ${cell.expected}</small>
<details><summary><small>command</small></summary><code>${cell.command}</code></details></td>`;
}

function truthTable(table: TruthTable): Markup {
  const find = (row: string, column: string) => table.cells.find((c) => c.from === row && c.to === column);
  return html`<h4>${table.title} <span class="tag">${table.kind}</span></h4>
<table class="truth"><thead><tr><th>from \\ to</th>${table.columns.map((col) => html`<th>${col}</th>`)}</tr></thead>
<tbody>${table.rows.map(
    (row) =>
      html`<tr><td class="rowhead"><strong>${row}</strong></td>${table.columns.map((col) => truthCell(find(row, col)))}</tr>`,
  )}</tbody></table>`;
}

function stepsTable(steps: StepResult[]): Markup {
  if (steps.length === 0) return html`<p class="muted">No lab step in this phase.</p>`;
  const statusClass = (s: StepResult['status']) =>
    s === 'ran' || s === 'harness' ? 'passed' : s === 'unsupported' || s === 'skipped' ? 'not-run' : 'failed';
  return html`<table class="steps"><thead><tr><th>step</th><th>status</th><th>commands</th></tr></thead><tbody>${steps.map(
    (step) => html`<tr><td><code>${step.step}</code><br><small>${formatDuration(step.durationMs)}</small></td>
<td><span class="status ${statusClass(step.status)}">${step.status}</span>${step.message ? html`<br><small>${step.message}</small>` : ''}</td>
<td>${step.commands.map(
      (cmd) =>
        html`<div><code>$ ${cmd.command}</code> <small>exit ${cmd.exitCode ?? '-'} · ${formatDuration(cmd.durationMs)}</small>${
          cmd.stderr ? html`<pre>${cap(cmd.stderr, STDERR_CHARS)}</pre>` : ''
        }</div>`,
    )}</td></tr>`,
  )}</tbody></table>`;
}

function phaseTranscript(phase: PhaseView, index: TranscriptIndex): Markup {
  const commands = index.entries.filter((e) => e.phase === phase.id && e.command).length;
  if (commands === 0) return html``;
  return html`<details><summary>transcript of this phase (${commands} command(s))</summary>
<pre>${phaseExcerpt(index, phase.id, { maxChars: PHASE_TRANSCRIPT_CHARS })}</pre></details>`;
}

function phaseSection(phase: PhaseView, index: TranscriptIndex): Markup {
  const record = phase.record;
  return html`<section id="${anchor('phase', phase.id)}"><h3>Phase <code>${phase.id}</code>: ${phase.title}</h3>
<p class="muted">${record ? `took ${formatDuration(record.durationMs)}` : 'not reached'}${
    record?.settleMs !== undefined ? ` · settled ${formatDuration(record.settleMs)} after its last step` : ''
  } · criteria: ${phase.criteria.length === 0 ? 'none' : phase.criteria.map((c) => html`${STATUS_SYMBOL[c.status]} <a href="#${anchor('criterion', c.id)}">${c.id}</a> `)}</p>
${record && record.truthTables.length > 0 ? record.truthTables.map(truthTable) : ''}
<h4>Steps</h4>
${stepsTable(record?.steps ?? [])}
${phaseTranscript(phase, index)}
</section>`;
}

function environmentTable(summary: Summary): Markup {
  const rows = Object.entries(summary.environment).map(
    ([key, value]) =>
      html`<tr><th>${key}</th><td><code>${typeof value === 'string' ? value : JSON.stringify(value)}</code></td></tr>`,
  );
  return html`<table class="environment"><tbody>${rows}</tbody></table>`;
}

/** The whole page: verdict, criteria, findings, topology, phases with truth tables and steps, transcript. */
export function buildHtml(summary: Summary, record: RunRecord): string {
  const index = indexEvents(record.events);
  const transcriptText = record.transcript;
  const criteria = sortCriteria(summary.criteria);
  const findings = sortFindings(summary.findings);
  const transcript = cap(transcriptText, TRANSCRIPT_CHARS);
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${summary.verdict === 'pass' ? 'PASS' : 'FAIL'} · vpc-acceptance · ${summary.runId}</title>
<style>${CSS}</style></head>
<body>
<h1>vpc-acceptance report</h1>
${header(summary, criteria)}
<h2>Criteria</h2>
${criteriaTable(criteria)}
<h2>Findings</h2>
${findingsSection(findings)}
<h2>Topology</h2>
${topologySvg(summary)}
<h2>Phases</h2>
${phaseViews(summary).map((phase) => phaseSection(phase, index))}
<h2>Evidence per criterion</h2>
${criteria.map(criterionDetails)}
<h2>Environment</h2>
${environmentTable(summary)}
<h2>Transcript</h2>
<details><summary>transcript.log (${index.commands.length} commands${
    transcript.length < transcriptText.length ? ', cut; the file beside this page has all of it' : ''
  })</summary><pre>${transcript}</pre></details>
<p class="muted">Reports directory: <code>${summary.reportsDir}</code></p>
</body></html>
`;
  return page.text;
}

/** Write `report.html` into `dir`. Returns the path. */
export function writeHtml(dir: string, summary: Summary, record: RunRecord): string {
  const text = buildHtml(summary, record);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, HTML_FILE);
  writeFileSync(path, text);
  return path;
}
