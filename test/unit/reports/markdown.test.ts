import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRow, buildScoreboard } from '../../../src/batch/scoreboard.js';
import { renderScoreboardJson } from '../../../src/batch/scoreboard-files.js';
import { formatBatchMarkdown } from '../../../src/batch/scoreboard-md.js';
import {
  formatMarkdownSummary,
  formatTopologyMermaid,
  md,
  mermaidText,
} from '../../../src/reports/markdown.js';
import { VpcError } from '../../../src/util/errors.js';
import { runSummaryMd } from '../../../src/verify/summary-md.js';
import { makeSummary } from '../batch/fixtures.js';

const failing = () =>
  makeSummary('bob', {
    failing: ['nat-private-blocked', 'policy-denied', 'source-preserved'],
    notRun: ['inspect-works'],
    hostile: true,
    deadlineHit: true,
  });

function mermaidBlocks(text: string): string[] {
  return [...text.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

/** Cells of a Markdown table line, split on pipes that are not escaped. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/);
}

function tables(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line);
    } else if (current) {
      out.push(current);
      current = undefined;
    }
  }
  if (current) out.push(current);
  return out;
}

describe('formatMarkdownSummary', () => {
  it('matches the snapshot of a failing run with hostile target strings', async () => {
    await expect(formatMarkdownSummary(failing())).toMatchFileSnapshot('__snapshots__/summary-failing.md');
  });

  it('matches the snapshot of a passing run', async () => {
    await expect(formatMarkdownSummary(makeSummary('alice'))).toMatchFileSnapshot(
      '__snapshots__/summary-passing.md',
    );
  });

  it('has one mermaid block drawing VPCs, subnets with CIDRs, routers, peering, NAT uplink and the internet host', () => {
    const text = formatMarkdownSummary(failing());
    const blocks = mermaidBlocks(text);
    expect(blocks).toHaveLength(1);
    const block = blocks[0] ?? '';
    expect(block.startsWith('flowchart LR\n')).toBe(true);
    for (const needle of [
      'subgraph v0["vpc1 · 10.0.0.0/16"]',
      'subgraph v1["vpc2 · 10.1.0.0/16"]',
      '10.0.1.0/24',
      '10.0.2.0/24',
      '10.1.1.0/24',
      '10.1.2.0/24',
      'v0r{{"router / bridge"}}',
      'v0r <-.->|"peering ✅"| v1r',
      'v0r ==>|"NAT ✅"| wan',
      'wan["eth0 uplink<br/>203.0.113.10/24"]',
      'inet(("internet host<br/>198.51.100.10"))',
      'class v1s1 missing',
    ]) {
      expect(block).toContain(needle);
    }
    // Every quoted label is closed on its line: a target's quote, bracket or backtick cannot end it.
    for (const line of block.split('\n')) expect((line.match(/"/g) ?? []).length % 2, line).toBe(0);
    expect(block).not.toMatch(/`|<b>|<script/);
  });

  it('escapes target strings so tables keep their columns and no markup gets through', () => {
    const text = formatMarkdownSummary(failing());
    expect(text).not.toMatch(/<script|<\/script/);
    expect(text).not.toContain(String.fromCharCode(7));
    expect(text).toContain('evil \\| \\`tick\\` &lt;script&gt;');
    for (const table of tables(text)) {
      const width = cells(table[0] ?? '').length;
      for (const line of table) expect(cells(line), line).toHaveLength(width);
    }
    // Only our own fences: the mermaid block opens and closes once.
    expect(text.match(/^```/gm)).toHaveLength(2);
  });

  it('renders truth tables per phase with expected vs actual', () => {
    const text = formatMarkdownSummary(failing());
    expect(text).toContain('#### Phase 4: the security policy: TCP to vpc1 public (tcp)');
    expect(text).toContain(
      '| **vpc1 private** | ✅ allowed | ❌ allowed (expected blocked) | ❌ allowed (expected blocked) |',
    );
    expect(text).toContain('| from \\ to | vpc1 public | vpc1 private | internet |');
    expect(text).toContain('**⚠️ The run hit its overall deadline:**');
  });

  it('falls back to the Stage 4 plan filled in from the probes, drawing peering only once the phase ran', () => {
    const summary = makeSummary('x');
    delete summary.topology;
    const drawn = formatTopologyMermaid(summary);
    expect(drawn).toContain('v0s0["publicsub (public)<br/>10.0.1.0/24<br/>ns x-vpc1-pub · 10.0.1.2"]');
    expect(drawn).toContain('v0r <-.->|"peering ✅"| v1r');
    const peering = summary.phases.find((p) => p.id === 'peering');
    if (peering?.steps[0]) peering.steps[0].status = 'failed';
    expect(formatTopologyMermaid(summary)).toContain('v0r <-.->|"peering steps failed ❌"| v1r');
    summary.phases = summary.phases.filter((p) => p.id !== 'peering');
    expect(formatTopologyMermaid(summary)).not.toContain('<-.->');
  });

  it('escapes helpers as documented', () => {
    expect(md('a|b `c` <d> & *e* _f_ [g](h) \\ ~i~\nj')).toBe(
      'a\\|b \\`c\\` &lt;d&gt; &amp; \\*e\\* \\_f\\_ \\[g\\](h) \\\\ \\~i\\~ j',
    );
    expect(mermaidText('a "b" <c> `d` #e |f|')).toBe('a #34;b#34; #60;c#62; #96;d#96; #35;e #124;f#124;');
  });
});

describe('formatBatchMarkdown', () => {
  it('matches the snapshot of a batch', async () => {
    const board = buildScoreboard([
      buildRow({
        submission: 'alice',
        profile: 'seed',
        summary: makeSummary('alice'),
        exitCode: 0,
        durationMs: 0,
        report: 'alice/run-a/report.html',
        summaryLink: 'alice/run-a/summary.json',
        error: null,
      }),
      buildRow({
        submission: 'bob',
        profile: 'seed',
        summary: makeSummary('bob', { failing: ['policy-denied'], notRun: ['inspect-works'] }),
        exitCode: 1,
        durationMs: 0,
        report: 'bob/run-b/report.html',
        summaryLink: null,
        error: null,
      }),
      buildRow({
        submission: 'dave',
        profile: 'seed',
        summary: undefined,
        exitCode: null,
        durationMs: 1_800_000,
        report: null,
        summaryLink: null,
        error: 'no result after 30m 00s | <b>hung</b>',
      }),
    ]);
    const text = formatBatchMarkdown(board);
    await expect(text).toMatchFileSnapshot('__snapshots__/batch.md');
    expect(text).toContain('✅ 1 pass · ❌ 1 fail · ⚠️ 1 could not be judged');
    expect(text).toContain('- **dave**: no result after 30m 00s \\| &lt;b&gt;hung&lt;/b&gt;');
    for (const table of tables(text)) {
      const width = cells(table[0] ?? '').length;
      expect(width).toBe(3 + 16 + 2);
      for (const line of table) expect(cells(line)).toHaveLength(width);
    }
  });
});

describe('runSummaryMd', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'summary-md-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a summary.json, or the --out folder holding <run-id>/summary.json', () => {
    const summary = makeSummary('alice');
    mkdirSync(join(dir, 'out', summary.runId), { recursive: true });
    const file = join(dir, 'out', summary.runId, 'summary.json');
    writeFileSync(file, JSON.stringify(summary));
    expect(runSummaryMd(file)).toBe(formatMarkdownSummary(summary));
    expect(runSummaryMd(join(dir, 'out'))).toBe(formatMarkdownSummary(summary));
    expect(runSummaryMd(join(dir, 'out', summary.runId))).toBe(formatMarkdownSummary(summary));
  });

  it('renders a scoreboard.json (or a batch folder) as the batch summary', () => {
    const board = buildScoreboard([]);
    mkdirSync(join(dir, 'batch'));
    writeFileSync(join(dir, 'batch', 'scoreboard.json'), renderScoreboardJson(board));
    expect(runSummaryMd(join(dir, 'batch'))).toBe(formatBatchMarkdown(board));
  });

  it('says what it needs when given something else', () => {
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'broken.json'), '{');
    mkdirSync(join(dir, 'empty'));
    const error = (path: string) => {
      try {
        runSummaryMd(path);
      } catch (caught) {
        expect(caught).toBeInstanceOf(VpcError);
        return (caught as VpcError).message;
      }
      throw new Error('expected an error');
    };
    expect(error(join(dir, 'other.json'))).toMatch(/is not a vpc-verify summary\.json/);
    expect(error(join(dir, 'broken.json'))).toMatch(/cannot read .* as JSON/);
    expect(error(join(dir, 'empty'))).toMatch(/no summary\.json or scoreboard\.json/);
    expect(error(join(dir, 'missing'))).toMatch(/does not exist/);
  });
});
