import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHtml, writeHtml } from '../../../src/reports/html.js';
import { html, trusted } from '../../../src/reports/html-template.js';
import { clone, failingRun, HOSTILE, passingRun } from './fixtures.js';

/** Every element the page is allowed to contain: anything else came from a string that was not escaped. */
const ALLOWED_TAGS = new Set(
  'html head meta title style body h1 h2 h3 h4 div p span strong small code pre a br table thead tbody tr th td details summary section svg g rect line text'.split(
    ' ',
  ),
);

interface Tag {
  name: string;
  attributes: [string, string | undefined][];
}

/** A strict tokenizer for our own output: every `<` must open a well-formed tag with quoted attributes. */
function tags(page: string): Tag[] {
  const found: Tag[] = [];
  const body = page.replace(/^<!DOCTYPE html>\n/, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  const tag = /<\/?([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"<>]*")?)*)\s*\/?>/y;
  for (let at = body.indexOf('<'); at !== -1; at = body.indexOf('<', at + 1)) {
    tag.lastIndex = at;
    const match = tag.exec(body);
    if (!match) throw new Error(`stray "<" at ${at}: ${body.slice(at, at + 60)}`);
    const [, name = '', attrs = ''] = match;
    const attributes = [...attrs.matchAll(/\s+([\w:-]+)(?:="([^"]*)")?/g)].map(
      ([, key = '', value]) => [key, value] as [string, string | undefined],
    );
    found.push({ name: name.toLowerCase(), attributes });
  }
  return found;
}

describe('report.html', () => {
  it('escapes every string from the target: no tag, attribute or script of its own makes it into the page', () => {
    const { summary, record } = failingRun();
    const page = buildHtml(summary, record);
    for (const tag of tags(page)) {
      expect(ALLOWED_TAGS.has(tag.name), `unexpected <${tag.name}>`).toBe(true);
      for (const [key, value] of tag.attributes) {
        expect(key.toLowerCase().startsWith('on'), `event handler ${key}`).toBe(false);
        expect(key.toLowerCase()).not.toBe('src');
        if (key === 'href') expect(value?.startsWith('#')).toBe(true);
      }
    }
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('"double"');
    expect(page).not.toContain(']]>');
    // The escaped forms are there: in the criterion message, the step's stderr, the probe detail and the transcript.
    const escaped = '&lt;script&gt;alert(1)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &amp; ]]&gt;';
    expect(page.split(escaped).length - 1).toBeGreaterThanOrEqual(4);
    expect(page).toContain('ns&quot;&#39;&lt;img src=x onerror=alert(1)&gt;');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(HOSTILE).toContain('\u001b');
  });

  it('loads nothing from outside and runs no script', () => {
    const page = buildHtml(passingRun().summary, passingRun().record);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(page).not.toMatch(/<link|<script|@import|url\(/);
  });

  it('shows the verdict first, then every criterion with its status and reason', () => {
    const { summary, record } = failingRun();
    const page = buildHtml(summary, record);
    const verdict = page.indexOf('<span class="word">✘ FAIL</span>');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(page.indexOf('<h2>Criteria</h2>'));
    expect(page).toContain('5 of 11 Stage 4 criteria passed');
    for (const criterion of summary.criteria) {
      expect(page).toContain(`<a href="#criterion-${criterion.id}"><code>${criterion.id}</code></a>`);
      expect(page).toContain(`<details class="criterion" id="criterion-${criterion.id}"`);
    }
    expect(page).toContain(
      '<tr class="failed">\n<td class="sym"><span class="status failed">✘ failed</span></td>\n<td><a href="#criterion-peering-private-blocked">',
    );
    expect(page).toContain('<span class="status not-run">- not run</span>');
    expect(page).toContain('<span class="status error">! error</span>');
    expect(passingRun().summary.criteria).toHaveLength(16);
    expect(buildHtml(passingRun().summary, passingRun().record)).toContain(
      '<span class="word">✔ PASS</span>',
    );
  });

  it('renders each truth table with expected vs actual, a symbol, a colour and the probe command in each cell', () => {
    const { summary, record } = failingRun();
    const page = buildHtml(summary, record);
    const leak = summary.phases
      .find((p) => p.id === 'peering')
      ?.truthTables[0]?.cells.find((c) => c.from === 'vpc1 private' && c.to === 'vpc2 private');
    expect(leak).toMatchObject({ expected: 'blocked', actual: 'allowed' });
    expect(page).toContain(
      `<td class="bad" title="ip netns exec vpc1-privatesub ping -c 1 -W 1 10.1.2.2"><span class="sym">✘</span> allowed<br>\n<small>expected blocked</small>`,
    );
    expect(page).toContain(
      '<details><summary><small>command</small></summary><code>ip netns exec vpc1-privatesub ping -c 1 -W 1 10.1.2.2</code></details>',
    );
    for (const phase of summary.phases) {
      for (const table of phase.truthTables)
        expect(page).toContain(`<h4>${table.title} <span class="tag">${table.kind}</span></h4>`);
    }
    expect(page).toContain(
      '<td class="ok" title="ip netns exec vpc1-publicsub ping -c 1 -W 1 10.0.2.2"><span class="sym">✔</span> allowed',
    );
  });

  it('draws the topology: VPCs, subnets with CIDR and discovered namespace/address, uplink, internet host and peering', () => {
    const { summary, record } = passingRun();
    const page = buildHtml(summary, record);
    const svg = page.slice(page.indexOf('<svg'), page.indexOf('</svg>'));
    for (const text of [
      'vpc1 10.0.0.0/16',
      'vpc2 10.1.0.0/16',
      'publicsub 10.0.1.0/24 (public)',
      'privatesub 10.1.2.0/24 (private)',
      'ns vpc1-publicsub · 10.0.1.2',
      'ns vpc2-privatesub · 10.1.2.2',
      'uplink eth0 203.0.113.10/24',
      'host 198.51.100.10',
      'router / bridge · gw 10.0.1.1, 10.0.2.1',
    ]) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('<g class="peering ran">');

    const beforePeering = clone(summary);
    beforePeering.phases = beforePeering.phases.filter(
      (p) => !['peering', 'policy', 'inspect', 'teardown'].includes(p.id),
    );
    const early = buildHtml(beforePeering, record);
    expect(early.slice(early.indexOf('<svg'), early.indexOf('</svg>'))).not.toContain('peering');
  });

  it('falls back to the Stage 4 plan, filled in from the probes, when the summary has no topology', () => {
    const { summary, record } = passingRun();
    const bare = clone(summary);
    delete bare.topology;
    bare.criteria = bare.criteria.map((c) => ({
      ...c,
      probes: c.probes.filter((p) => p.from.subnet !== 'vpc2/privatesub'),
    }));
    const page = buildHtml(bare, record);
    const svg = page.slice(page.indexOf('<svg'), page.indexOf('</svg>'));
    expect(svg).toContain('ns vpc1-publicsub · 10.0.1.2');
    expect(svg).toContain('privatesub 10.1.2.0/24 (private)');
    // vpc2 private was only ever a destination: its address is known, its namespace is not.
    expect(svg).toContain('not found (no namespace holds an address in this CIDR)');
  });

  it('lists the findings, each phase with its steps and commands, the environment and the transcript', () => {
    const { summary, record } = failingRun();
    const page = buildHtml(summary, record);
    expect(page).toContain('<div class="finding warning"><strong>warning</strong> <code>settle-stall</code>');
    expect(page).toContain('<div class="finding info"><strong>info</strong> <code>leftover-process</code>');
    for (const phase of summary.phases) {
      expect(page).toContain(`<section id="phase-${phase.id}"><h3>Phase <code>${phase.id}</code>`);
    }
    expect(page).toContain('<code>$ /opt/target/vpcctl peer --vpc1 vpc1 --vpc2 vpc2</code> <small>exit 0');
    expect(page).toContain(
      '<span class="status not-run">unsupported</span><br><small>the profile maps applyPolicy to null</small>',
    );
    expect(page).toContain('<span class="status failed">timeout</span><br><small>killed after 60 s</small>');
    expect(page).toContain('<tr><th>iptablesBackend</th><td><code>nft</code></td></tr>');
    const peering = page.slice(
      page.indexOf('<section id="phase-peering">'),
      page.indexOf('<section id="phase-policy">'),
    );
    expect(peering).toMatch(
      /<details><summary>transcript of this phase \(\d+ command\(s\)\)<\/summary>\n<pre>\S+Z NOTE phase peering begins\n/,
    );
    expect(peering).not.toContain('NOTE phase vpc2 begins');
    expect(page).toMatch(
      /<details><summary>transcript\.log \(\d+ commands\)<\/summary><pre># vpc-acceptance transcript v1\n/,
    );
  });

  it('is byte-identical for the same input, whatever order results came in, and writeHtml writes report.html', () => {
    const first = failingRun();
    const second = failingRun();
    second.summary.criteria.reverse();
    second.summary.findings.reverse();
    expect(buildHtml(second.summary, second.record)).toBe(buildHtml(first.summary, first.record));
    const dir = mkdtempSync(join(tmpdir(), 'html-'));
    const path = writeHtml(dir, first.summary, first.record);
    expect(path).toBe(join(dir, 'report.html'));
    expect(readFileSync(path, 'utf8')).toBe(buildHtml(first.summary, first.record));
  });
});

describe('html template', () => {
  it('escapes interpolated strings and nested arrays, and passes trusted markup through', () => {
    const name = `<b onclick="x">&'`;
    expect(html`<p title="${name}">${[name, trusted('<br>'), undefined, false, 3]}</p>`.text).toBe(
      '<p title="&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;">&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;<br>3</p>',
    );
  });
});
