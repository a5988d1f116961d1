#!/usr/bin/env node
/**
 * `npm run bench` (as root: it builds labs in sandboxes). Measures, one after
 * another, the full verification of the reference and its split, the same
 * checks as a plain bash checklist, the lab build by the reference vpcctl and
 * by the seed's commands, and batches of the reference; prints medians,
 * ratios and the targets, and writes everything as JSON.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { formatError } from '../src/util/errors.js';
import { distPath, PACKAGE_ROOT } from '../src/util/paths.js';
import { formatMs } from './format.js';
import { formatInitTimings, type InitSample, initTimings } from './init-times.js';
import { currentLoad, readMachine } from './machine.js';
import { type BatchSample, measureBatch } from './measure-batch.js';
import { initFixtures, measureInit } from './measure-init.js';
import { measureBuildLab, measureChecklist, REFERENCE_VPCCTL } from './measure-sandboxed.js';
import { measureSetup, measureStartup, UNBUNDLED_VPCCTL } from './measure-startup.js';
import { measureVerify } from './measure-verify.js';
import { measureVitest } from './measure-vitest.js';
import { batchCells, bestBatch, formatReport } from './report.js';
import type { BenchResult } from './result.js';
import { ratio, Samples } from './stats.js';
import { evaluateTargets } from './targets.js';

interface Options {
  runs: number;
  quick?: boolean;
  json?: string;
  skipBatch?: boolean;
  skipChecklist?: boolean;
  batchRuns?: number;
  batchSizes?: number[];
  concurrencies?: number[];
  keepReports?: boolean;
  startupRuns: number;
  skipSetup?: boolean;
  initRuns?: number;
}

const BATCH_SIZES = [1, 4, 8, 20];
const QUICK_BATCH_SIZES = [1, 4];
const CONCURRENCIES = [1, 2, 4];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

function intList(value: string): number[] {
  const items = value.split(',').map((v) => v.trim());
  if (items.some((v) => !/^\d+$/.test(v) || Number(v) < 1)) {
    throw new InvalidArgumentError('expected whole numbers >= 1, comma-separated (e.g. 1,4,8,20)');
  }
  return items.map(Number);
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

const benchStarted = performance.now();
function progress(line: string): void {
  process.stderr.write(`[bench ${formatMs(performance.now() - benchStarted).padStart(6)}] ${line}\n`);
}

async function bench(options: Options): Promise<number> {
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      'error: the bench builds labs in sandboxes and needs root: sudo npm run bench (after sudo npm run setup)\n',
    );
    return 3;
  }
  if (!existsSync(REFERENCE_VPCCTL) || !existsSync(distPath('src/vpcctl/main.js'))) {
    process.stderr.write(
      `error: the reference vpcctl is missing (${REFERENCE_VPCCTL} and dist/src/vpcctl/main.js): the bench measures it; build first (sudo npm run setup)\n`,
    );
    return 3;
  }
  const startedAt = new Date();
  const id = `bench-${stamp(startedAt)}`;
  const workDir = join(PACKAGE_ROOT, 'reports', id);
  const jsonPath = resolve(options.json ?? join(PACKAGE_ROOT, 'reports', `${id}.json`));
  const runs = options.runs;
  const checklistRuns = options.quick ? 1 : runs;
  const batchRuns = options.skipBatch ? 0 : (options.batchRuns ?? runs);
  const batchSizes = options.skipBatch
    ? []
    : (options.batchSizes ?? (options.quick ? QUICK_BATCH_SIZES : BATCH_SIZES));
  const concurrencies = options.concurrencies ?? CONCURRENCIES;
  const machine = readMachine();
  const samples = new Samples();
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      problems.push(`${what}: ${formatError(error)}`);
      progress(`${what} broke: ${formatError(error)}`);
      return undefined;
    }
  };

  // 0. What one vpcctl call costs before it does anything, next to the runtime alone.
  const startup = await attempt('start-up', async () => measureStartup(options.startupRuns));
  if (startup) {
    for (const [name, values] of Object.entries(startup)) {
      for (const ms of values) samples.add(`startup.${name}`, ms);
    }
    progress(`start-up: ${options.startupRuns} calls each of node -e 0, vpcctl --version, unbundled`);
  }

  // 1. Full verification, with its split; vitest split on the evidence it left.
  let evidence: string | undefined;
  for (let i = 1; i <= runs; i++) {
    const s = await attempt(`verification run ${i}`, () => measureVerify(join(workDir, `verify-${i}`)));
    if (!s) continue;
    progress(`verification ${i}/${runs}: ${formatMs(s.wallMs)} (${s.verdict})`);
    if (s.verdict !== 'pass') problems.push(`verification run ${i} did not pass (${s.reportsDir})`);
    samples.add('verify.wall', s.wallMs);
    samples.add('verify.run', s.runMs);
    samples.add('verify.target', s.targetMs);
    samples.add(
      'verify.probes.total',
      Object.values(s.probesMs).reduce((a, b) => a + b, 0),
    );
    for (const [phase, ms] of Object.entries(s.probesMs)) samples.add(`verify.probes.${phase}`, ms);
    samples.add('verify.labRest', s.labRestMs);
    samples.add('verify.scenarios', s.scenariosMs);
    samples.add('verify.reports', s.reportsMs);
    samples.add('verify.outside', s.outsideMs);
    if (s.startup) {
      samples.add('verify.beforeSandbox', s.startup.beforeSandboxMs);
      samples.add('verify.sandboxSetup', s.startup.sandboxSetupMs);
      samples.add('verify.harnessStart', s.startup.harnessStartMs);
    }
    samples.add('verify.overhead', s.overheadMs);
    if (s.cpuMs !== undefined) samples.add('verify.cpu', s.cpuMs);
    counts.verifyTargetCommands = s.targetCommands;
    evidence = join(s.reportsDir, 'evidence.json');
  }
  if (evidence) {
    const evidencePath = evidence;
    for (let i = 1; i <= runs; i++) {
      const v = await attempt(`vitest split ${i}`, () => measureVitest(evidencePath));
      if (!v) continue;
      samples.add('vitest.import', v.importMs);
      samples.add('vitest.startup', v.startupMs);
      samples.add('vitest.tests', v.testsMs);
    }
    progress('vitest split done');
  }

  // 2. The lab build: reference vpcctl and the seed's commands, alternating.
  for (let i = 1; i <= runs; i++) {
    const ref = await attempt(`reference lab build ${i}`, () => measureBuildLab('reference'));
    if (ref) {
      samples.add('build.reference', ref.buildMs);
      samples.add('build.vpcctlNoop', ref.noopMs);
      samples.add('build.nodeNoop', ref.nodeMs);
      counts.buildReferenceCalls = ref.calls;
    }
    const unbundled = await attempt(`unbundled lab build ${i}`, () =>
      measureBuildLab('reference', UNBUNDLED_VPCCTL),
    );
    if (unbundled) samples.add('build.unbundled', unbundled.buildMs);
    const seed = await attempt(`seed lab build ${i}`, () => measureBuildLab('seed'));
    if (seed) samples.add('build.seed', seed.buildMs);
    progress(
      `lab build ${i}/${runs}: reference ${formatMs(ref?.buildMs)}, unbundled ${formatMs(unbundled?.buildMs)}, seed ${formatMs(seed?.buildMs)}`,
    );
  }

  // 3. The checklist script (minutes per run: negative pings wait 10 s each).
  if (!options.skipChecklist) {
    for (let i = 1; i <= checklistRuns; i++) {
      progress(`checklist ${i}/${checklistRuns} (about 4 minutes)`);
      const c = await attempt(`checklist run ${i}`, () => measureChecklist());
      if (!c) continue;
      progress(
        `checklist ${i}/${checklistRuns}: ${formatMs(c.totalMs)}, ${c.passed} passed, ${c.failed} failed`,
      );
      if (c.failed > 0) problems.push(`checklist run ${i}: FAIL ${c.failures.join('; ')}`);
      samples.add('checklist.total', c.totalMs);
      samples.add('checklist.vpcctl', c.vpcctlMs);
      samples.add('checklist.checks', c.checksMs);
      counts.checklistChecks = c.passed + c.failed;
    }
  }

  // 4. Batches of the reference.
  const batch: BatchSample[] = [];
  for (const size of batchSizes) {
    for (const concurrency of concurrencies) {
      for (let i = 1; i <= batchRuns; i++) {
        const dir = join(workDir, `batch-${size}x${concurrency}-${i}`);
        const b = await attempt(`batch N=${size} C=${concurrency} run ${i}`, () =>
          measureBatch(size, concurrency, dir),
        );
        if (!b) continue;
        progress(
          `batch N=${size} C=${concurrency} ${i}/${batchRuns}: ${formatMs(b.wallMs)}, ${b.passed}/${size} passed`,
        );
        if (b.passed < size)
          problems.push(`batch N=${size} C=${concurrency} run ${i}: ${b.passed}/${size} passed (${dir})`);
        batch.push(b);
      }
    }
  }

  // 5. vpc-verify init on each fixture tool (test/fixtures/targets/init-*).
  const initSamples: InitSample[] = [];
  const initRuns = options.initRuns ?? 3;
  for (const fixture of initRuns > 0 ? initFixtures() : []) {
    for (let i = 1; i <= initRuns; i++) {
      const s = await attempt(`init ${fixture} run ${i}`, () => measureInit(fixture));
      if (!s) continue;
      progress(`init ${fixture} ${i}/${initRuns}: ${formatMs(s.ms)}, ${s.proved}/${s.steps} steps proved`);
      initSamples.push(s);
    }
  }

  // 6. Last, as it rewrites dist/ (with the same content): npm start's set-up with nothing to do, and a build.
  if (!options.skipSetup) {
    const setup = await attempt('set-up', async () => measureSetup(runs));
    if (setup) {
      for (const ms of setup.noChangeMs) samples.add('setup.noChange', ms);
      samples.add('setup.build', setup.buildMs);
      progress(`set-up: nothing to do ${runs} times, one full build ${formatMs(setup.buildMs)}`);
    }
  }

  machine.loadEnd = currentLoad();
  const measurements = samples.toJSON();
  const cells = batchCells(batch);
  const med = (name: string) => measurements[name]?.median;
  const ratios = {
    checklistVsVerify: ratio(med('checklist.total'), med('verify.wall')),
    seedVsReference: ratio(med('build.seed'), med('build.reference')),
    overheadShare: ratio(med('verify.overhead'), med('verify.wall')),
    vpcctlVsNode: ratio(med('startup.vpcctl'), med('startup.node')),
    unbundledVsNode: ratio(med('startup.unbundled'), med('startup.node')),
    unbundledVsBundledBuild: ratio(med('build.unbundled'), med('build.reference')),
  };
  const result: BenchResult = {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    options: {
      runs,
      checklistRuns: options.skipChecklist ? 0 : checklistRuns,
      batchRuns,
      batchSizes,
      concurrencies,
      startupRuns: options.startupRuns,
    },
    machine,
    measurements,
    counts,
    batch: cells,
    ratios,
    init: initTimings(initSamples),
    targets: evaluateTargets({
      cores: machine.cores,
      verifyWallMs: med('verify.wall'),
      harnessOverheadMs: med('verify.overhead'),
      checklistMs: med('checklist.total'),
      referenceBuildMs: med('build.reference'),
      seedBuildMs: med('build.seed'),
      batch20: bestBatch(cells, 20),
      vpcctlStartupMs: med('startup.vpcctl'),
      nodeStartupMs: med('startup.node'),
    }),
    problems,
  };

  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  if (!options.keepReports && problems.length === 0) rmSync(workDir, { recursive: true, force: true });
  process.stdout.write(
    `${formatReport(result)}\n\n${formatInitTimings(result.init ?? [])}\n\nJSON: ${jsonPath}\n`,
  );
  if (options.keepReports || problems.length > 0) process.stdout.write(`Run reports: ${workDir}\n`);
  return problems.length === 0 ? 0 : 1;
}

const program = new Command('bench')
  .description(
    'Measure vpc-verify on the reference, a plain checklist script, the lab build and batches (needs root).',
  )
  .option('--runs <n>', 'runs of each measurement (medians are reported)', positiveInt, 5)
  .option('--quick', 'batches of 1 and 4 submissions only, and one checklist run')
  .option('--json <file>', 'where to write the JSON (default reports/bench-<timestamp>.json)')
  .option('--skip-batch', 'no batch measurements')
  .option('--skip-checklist', 'no checklist script (it takes about 4 minutes a run)')
  .option('--batch-runs <n>', 'runs of each batch measurement (default: --runs)', positiveInt)
  .option('--batch-sizes <list>', 'batch sizes, comma-separated (default 1,4,8,20; --quick: 1,4)', intList)
  .option('--concurrencies <list>', 'batch concurrencies, comma-separated (default 1,2,4)', intList)
  .option(
    '--init-runs <n>',
    'runs of vpc-verify init per fixture tool (median reported; 0: skip)',
    (v: string) => (v === '0' ? 0 : positiveInt(v)),
    3,
  )
  .option('--keep-reports', "keep every run's reports (reports/bench-<timestamp>/)")
  .option(
    '--startup-runs <n>',
    'calls of each start-up command (node -e 0, vpcctl --version, unbundled)',
    positiveInt,
    21,
  )
  .option('--skip-setup', "no measurement of npm start's set-up (it ends with one full build)")
  .addHelpText(
    'after',
    '\nExit codes: 0 measured (targets met or not), 1 a run broke or did not pass, 3 cannot run here (not root, no reference vpcctl).',
  );
program.parse();
process.exitCode = await bench(program.opts<Options>());
