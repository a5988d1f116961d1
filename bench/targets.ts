import { formatMs, formatRatio } from './format.js';

/** The medians the issue's targets are about (undefined: not measured in this run). */
export interface Figures {
  cores: number;
  verifyWallMs?: number;
  harnessOverheadMs?: number;
  checklistMs?: number;
  referenceBuildMs?: number;
  seedBuildMs?: number;
  /** The fastest measured concurrency for 20 submissions. */
  batch20?: { concurrency: number; wallMs: number };
  /** Medians of `vpcctl --version` and `node -e 0`, measured side by side. */
  vpcctlStartupMs?: number;
  nodeStartupMs?: number;
}

export interface TargetResult {
  id: string;
  text: string;
  /** ms for time targets, a factor for `x` ones. */
  measured: number | undefined;
  limit: number;
  unit: 'ms' | 'x';
  /** `max`: measured must be <= limit; `min`: measured must be >= limit. */
  kind: 'max' | 'min';
  /** undefined: not measured. */
  ok: boolean | undefined;
  /** How far from the limit, in words: "3.6x the limit (+13.1 s)", "0.5 s to spare". */
  note: string;
}

function show(value: number, unit: 'ms' | 'x'): string {
  return unit === 'ms' ? formatMs(value) : formatRatio(value);
}

function judge(base: Omit<TargetResult, 'ok' | 'note'>, whyMissing: string): TargetResult {
  const { measured, limit, unit, kind } = base;
  if (measured === undefined || !Number.isFinite(measured))
    return { ...base, ok: undefined, note: whyMissing };
  const ok = kind === 'max' ? measured <= limit : measured >= limit;
  let note: string;
  if (kind === 'max') {
    note = ok
      ? `${show(limit - measured, unit)} to spare`
      : `missed: ${formatRatio(measured / limit)} the limit (+${show(measured - limit, unit)})`;
  } else {
    note = ok
      ? `${formatRatio(measured / limit)} the required factor`
      : `missed: ${show(measured, unit)} instead of ${show(limit, unit)} (${formatRatio(limit / measured)} short)`;
  }
  return { ...base, ok, note };
}

/** The issue's targets (for the bench, never test thresholds), judged on this run's medians. */
export function evaluateTargets(f: Figures): TargetResult[] {
  const cores = f.cores === 2 ? '2 cores' : `${f.cores} cores here; the target is for 2`;
  const checklistFactor =
    f.checklistMs !== undefined && f.verifyWallMs !== undefined && f.verifyWallMs > 0
      ? f.checklistMs / f.verifyWallMs
      : undefined;
  const startupFactor =
    f.vpcctlStartupMs !== undefined && f.nodeStartupMs !== undefined && f.nodeStartupMs > 0
      ? f.vpcctlStartupMs / f.nodeStartupMs
      : undefined;
  const buildFactor =
    f.seedBuildMs !== undefined && f.referenceBuildMs !== undefined && f.referenceBuildMs > 0
      ? f.seedBuildMs / f.referenceBuildMs
      : undefined;
  return [
    judge(
      {
        id: 'verify-wall',
        text: `full verification of the reference <= 5 s wall (${cores})`,
        measured: f.verifyWallMs,
        limit: 5000,
        unit: 'ms',
        kind: 'max',
      },
      'not measured',
    ),
    judge(
      {
        id: 'verify-vs-checklist',
        text: 'full verification >= 5x faster than the sequential checklist script',
        measured: checklistFactor,
        limit: 5,
        unit: 'x',
        kind: 'min',
      },
      'not measured (checklist or verification skipped)',
    ),
    judge(
      {
        id: 'harness-overhead',
        text: "harness overhead (total - target's own command time) <= 2 s",
        measured: f.harnessOverheadMs,
        limit: 2000,
        unit: 'ms',
        kind: 'max',
      },
      'not measured',
    ),
    judge(
      {
        id: 'reference-build',
        text: 'the reference vpcctl builds the full lab in <= 0.5 s',
        measured: f.referenceBuildMs,
        limit: 500,
        unit: 'ms',
        kind: 'max',
      },
      'not measured',
    ),
    judge(
      {
        id: 'reference-vs-seed',
        text: "the reference builds the lab >= 3x faster than the seed's commands as a bash script",
        measured: buildFactor,
        limit: 3,
        unit: 'x',
        kind: 'min',
      },
      'not measured',
    ),
    judge(
      {
        id: 'batch-20',
        text: `20 submissions in parallel sandboxes <= 60 s (${cores}${f.batch20 ? `; best concurrency measured: ${f.batch20.concurrency}` : ''})`,
        measured: f.batch20?.wallMs,
        limit: 60_000,
        unit: 'ms',
        kind: 'max',
      },
      'not measured (--quick or --skip-batch)',
    ),
    judge(
      {
        id: 'vpcctl-startup',
        text: '`vpcctl --version` within 1.5x of `node -e 0` (a call costs close to the runtime alone)',
        measured: startupFactor,
        limit: 1.5,
        unit: 'x',
        kind: 'max',
      },
      'not measured',
    ),
  ];
}

export function formatTargets(results: readonly TargetResult[]): string {
  return results
    .map((t) => {
      const mark = t.ok === undefined ? '-' : t.ok ? '✔' : '✘';
      const value = t.measured === undefined ? '' : ` measured ${show(t.measured, t.unit)};`;
      return `${mark} ${t.text}:${value} ${t.note}`;
    })
    .join('\n');
}
