import { formatMs, formatRatio, formatTable, type Row } from './format.js';
import { formatMachine } from './machine.js';
import type { BatchCell, BenchResult } from './result.js';
import { ratio, summarize } from './stats.js';
import { formatTargets } from './targets.js';

const PHASE_PREFIX = 'verify.probes.';

function stat(result: BenchResult, name: string) {
  return result.measurements[name];
}

function verifyRows(r: BenchResult): Row[] {
  const m = (name: string, label: string, note?: string): Row => ({
    label,
    stat: stat(r, name),
    ...(note ? { note } : {}),
  });
  const phases = Object.keys(r.measurements)
    .filter((name) => name.startsWith(PHASE_PREFIX) && name !== `${PHASE_PREFIX}total`)
    .map((name) => m(name, `  probes, phase ${name.slice(PHASE_PREFIX.length)}`));
  const calls = r.counts.verifyTargetCommands;
  return [
    { heading: 'Full verification of the reference (vpc-verify: lab, all criteria, teardown, reports)' },
    m('verify.wall', 'total wall (CLI start to exit)'),
    m('verify.target', "  inside the target's own commands", calls ? `${calls} vpcctl calls` : undefined),
    m('verify.probes.total', '  probes, all phases'),
    ...phases,
    m('verify.labRest', '  rest of the lab', 'discovery, listeners, snapshots, settling, checks'),
    m('verify.scenarios', '  vitest start-up + scenarios'),
    m('verify.reports', '  report writing'),
    m('verify.outside', '  outside the lab', 'the three below, then sandbox exit and CLI exit'),
    m('verify.beforeSandbox', '    CLI start-up + doctor', 'until the sandbox starts'),
    m('verify.sandboxSetup', '    sandbox set-up', 'pid1.sh: mounts, uplink, internet namespace'),
    m(
      'verify.harnessStart',
      '    harness start-up in the sandbox',
      'internet host, Node + imports, environment',
    ),
    m('verify.overhead', 'harness overhead (total - target)'),
    m('verify.cpu', 'CPU time of the run (all processes)', 'what bounds labs per core'),
    { heading: 'vitest, re-judging saved evidence in a fresh process' },
    m('vitest.import', "import('vitest/node')", 'paid at harness start-up'),
    m('vitest.startup', 'vitest start-up + collecting files'),
    m('vitest.tests', 'the scenario tests themselves'),
  ];
}

function otherRows(r: BenchResult): Row[] {
  const m = (name: string, label: string, note?: string): Row => ({
    label,
    stat: stat(r, name),
    ...(note ? { note } : {}),
  });
  return [
    { heading: 'One call before it does anything (on the host, interleaved)' },
    m('startup.node', '`node -e 0`', 'the runtime alone'),
    m('startup.vpcctl', '`vpcctl --version` (bin/vpcctl)', 'the one-file bundle'),
    m('startup.unbundled', '`node dist/src/vpcctl/main.js --version`', 'the same CLI as ES modules'),
    { heading: "npm start's set-up (scripts/setup.sh)" },
    m('setup.noChange', 'nothing to do', 'packages present, lock and sources unchanged'),
    m('setup.build', '  one `npm run build`', 'what every set-up paid before it skipped'),
    { heading: 'The same checks done the obvious way (bench/checklist.sh, same target, same sandbox)' },
    m(
      'checklist.total',
      'total',
      r.counts.checklistChecks === undefined
        ? undefined
        : `${r.counts.checklistChecks} checks: ping -c2, curl, timeout 2 /dev/tcp, one at a time`,
    ),
    m('checklist.vpcctl', "  inside the target's own commands"),
    m('checklist.checks', '  checks'),
    { heading: 'Building the full two-VPC lab (timed inside the sandbox)' },
    m(
      'build.reference',
      'reference vpcctl',
      r.counts.buildReferenceCalls ? `${r.counts.buildReferenceCalls} calls` : undefined,
    ),
    m(
      'build.unbundled',
      '  the same, unbundled',
      'bench/unbundled-vpcctl: the ES modules, as before the bundle',
    ),
    m('build.seed', "the seed's commands as a bash script"),
    m('build.vpcctlNoop', '  one `vpcctl --version` call', 'start-up cost of a call'),
    m('build.nodeNoop', '  one `node -e 0`', 'the runtime alone'),
  ];
}

function batchRows(cells: readonly BatchCell[]): Row[] {
  if (cells.length === 0) return [];
  const base = new Map(cells.filter((c) => c.concurrency === 1).map((c) => [c.submissions, c.wall.median]));
  return [
    { heading: 'Batch: N submissions of the reference (runBatch), concurrency C' },
    ...cells.map((c): Row => {
      const one = base.get(c.submissions);
      const speedup =
        c.concurrency > 1 && one !== undefined ? `, ${formatRatio(one / c.wall.median)} vs C=1` : '';
      const cpu = c.cpu ? `, CPU ${formatMs(c.cpu.median / c.submissions)} per submission` : '';
      const failing = c.passed.some((p) => p < c.submissions) ? `, passed ${c.passed.join('/')}` : '';
      return {
        label: `N=${c.submissions} C=${c.concurrency}`,
        stat: c.wall,
        note: `${formatMs(c.wall.median / c.submissions)} per submission${speedup}${cpu}${failing}`,
      };
    }),
  ];
}

function ratioLines(r: BenchResult): string[] {
  const lines: string[] = [];
  const { checklistVsVerify, seedVsReference, overheadShare, vpcctlVsNode, unbundledVsNode } = r.ratios;
  if (vpcctlVsNode !== undefined) {
    const before = unbundledVsNode === undefined ? '' : `, unbundled ${formatRatio(unbundledVsNode)}`;
    // The fastest calls are the least disturbed by a busy machine: their ratio is a second opinion.
    const fastest = ratio(stat(r, 'startup.vpcctl')?.min, stat(r, 'startup.node')?.min);
    const quiet = fastest === undefined ? '' : `; fastest calls ${formatRatio(fastest)}`;
    lines.push(`vpcctl --version / node -e 0: ${formatRatio(vpcctlVsNode)} (medians${before})${quiet}`);
  }
  if (r.ratios.unbundledVsBundledBuild !== undefined) {
    lines.push(`lab build, unbundled / bundled vpcctl: ${formatRatio(r.ratios.unbundledVsBundledBuild)}`);
  }
  const calls = r.counts.verifyTargetCommands;
  const target = stat(r, 'verify.target')?.median;
  if (calls && target !== undefined) {
    lines.push(`vpcctl calls in a verification: ${calls}, ${formatMs(target / calls)} each on average`);
  }
  if (checklistVsVerify !== undefined) {
    lines.push(`checklist script / full verification: ${formatRatio(checklistVsVerify)}`);
  }
  if (seedVsReference !== undefined) {
    lines.push(`seed's commands / reference vpcctl (lab build): ${formatRatio(seedVsReference)}`);
  }
  if (overheadShare !== undefined) {
    lines.push(`harness overhead / full verification: ${Math.round(overheadShare * 100)}%`);
  }
  return lines;
}

/** The whole printout: tables, ratios, targets, machine, problems. */
export function formatReport(r: BenchResult): string {
  const runs = `medians of ${r.options.runs} runs (checklist ${r.options.checklistRuns}, batch ${r.options.batchRuns})`;
  const parts = [
    `vpc-acceptance bench, ${runs}`,
    formatTable([...verifyRows(r), ...otherRows(r), ...batchRows(r.batch)]),
    '',
    'Ratios',
    ...ratioLines(r).map((l) => `  ${l}`),
    '',
    'Targets (for the bench, never test thresholds)',
    formatTargets(r.targets)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    '',
    `Machine: ${formatMachine(r.machine)}`,
  ];
  if (r.problems.length > 0) {
    parts.push('', 'Problems (figures above may be off):', ...r.problems.map((p) => `  - ${p}`));
  }
  return parts.join('\n');
}

/** Batch cells from raw samples, in size then concurrency order. */
export function batchCells(
  samples: readonly {
    submissions: number;
    concurrency: number;
    wallMs: number;
    cpuMs?: number;
    passed: number;
  }[],
): BatchCell[] {
  const byKey = new Map<
    string,
    { submissions: number; concurrency: number; walls: number[]; cpus: number[]; passed: number[] }
  >();
  for (const s of samples) {
    const key = `${s.submissions}x${s.concurrency}`;
    const cell = byKey.get(key) ?? {
      submissions: s.submissions,
      concurrency: s.concurrency,
      walls: [],
      cpus: [],
      passed: [],
    };
    cell.walls.push(s.wallMs);
    if (s.cpuMs !== undefined) cell.cpus.push(s.cpuMs);
    cell.passed.push(s.passed);
    byKey.set(key, cell);
  }
  return [...byKey.values()]
    .sort((a, b) => a.submissions - b.submissions || a.concurrency - b.concurrency)
    .map((c) => ({
      submissions: c.submissions,
      concurrency: c.concurrency,
      wall: summarize(c.walls),
      cpu: c.cpus.length > 0 ? summarize(c.cpus) : undefined,
      passed: c.passed,
    }));
}

/** The fastest concurrency > 1 for a batch size (the "in parallel" figure), else any. */
export function bestBatch(
  cells: readonly BatchCell[],
  submissions: number,
): { concurrency: number; wallMs: number } | undefined {
  const candidates = cells.filter((c) => c.submissions === submissions);
  const parallel = candidates.filter((c) => c.concurrency > 1);
  const pool = parallel.length > 0 ? parallel : candidates;
  const best = [...pool].sort((a, b) => a.wall.median - b.wall.median)[0];
  return best ? { concurrency: best.concurrency, wallMs: best.wall.median } : undefined;
}
