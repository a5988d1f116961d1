import type { EventStream } from '../exec/events.js';
import type { DiscoveredSubnet, PhaseId, ProbeSpec } from '../model/evidence.js';
import type { Endpoint, ProbeResult } from '../model/probe.js';
import type { LabPlan } from '../plan/types.js';
import { classify } from './classify.js';
import { curlArgv, pingArgv } from './commands.js';
import { type Clock, defaultExec, type ProbeExec, realClock } from './exec.js';

export interface ProbeRunOptions {
  /** Recorded in each result and its probe event. */
  phase: string;
  /** The plan stage the probes belong to, in each probe event. Default: the phase id (a phase of one stage). */
  stage?: string;
  exec?: ProbeExec;
  clock?: Clock;
  events?: EventStream;
  /**
   * A "must connect" probe retries until this long after its first try
   * (routes and ARP settle; a bridge MAC change stalls traffic 3 to 40 s).
   */
  positiveDeadlineMs?: number;
  /** Timeout of each try of a "must connect" probe, in seconds. */
  tryTimeoutSec?: number;
  /**
   * Timeout of the single try of a "must be blocked" probe, in seconds. When
   * unset, runMatrix derives it from the stage's own round trips (see
   * negativeTimeoutFrom); runProbe alone uses 2 s.
   */
  negativeTimeoutSec?: number;
  retryDelayMs?: number;
  /** How many probes run at once. */
  concurrency?: number;
}

const DEFAULTS = {
  positiveDeadlineMs: 45_000,
  tryTimeoutSec: 2,
  negativeTimeoutSec: 2,
  retryDelayMs: 500,
  concurrency: 16,
};

/** Subnet keys (and `internet`) to endpoints; subnets discovery did not find have no address. */
export type Endpoints = ReadonlyMap<string, Endpoint>;

export function endpointsFrom(discovery: readonly DiscoveredSubnet[], plan: LabPlan): Map<string, Endpoint> {
  const map = new Map<string, Endpoint>();
  for (const vpc of plan.vpcs) {
    for (const s of vpc.subnets) {
      const found = discovery.find((d) => d.key === s.key);
      map.set(s.key, {
        subnet: s.key,
        ...(found?.netns ? { netns: found.netns } : {}),
        address: found?.address ?? '',
        label: s.label,
      });
    }
  }
  map.set('internet', { address: plan.internet.address, label: plan.internet.label });
  return map;
}

function argvFor(spec: ProbeSpec, address: string, timeoutSec: number): string[] {
  if (spec.kind === 'icmp') return pingArgv(address, timeoutSec);
  return curlArgv(address, spec.port ?? 80, { connectTimeoutSec: timeoutSec, maxTimeSec: timeoutSec + 2 });
}

function unresolved(spec: ProbeSpec, endpoints: Endpoints): string | undefined {
  const from = endpoints.get(spec.from);
  const to = endpoints.get(spec.to);
  if (!from?.netns || !from.address) return `source ${spec.from} was not discovered`;
  if (!to?.address) return `destination ${spec.to} was not discovered`;
  return undefined;
}

/**
 * Run one probe from inside its source namespace. A positive probe retries
 * until it connects or its deadline passes (and reports its tries), unless it
 * is an observation tried once (`once`); a negative probe runs once with a
 * short timeout. Each try is a new process,
 * hence a new flow.
 */
export async function runProbe(
  spec: ProbeSpec,
  endpoints: Endpoints,
  options: ProbeRunOptions,
): Promise<ProbeResult> {
  const exec = options.exec ?? defaultExec;
  const clock = options.clock ?? realClock;
  const deadlineMs = options.positiveDeadlineMs ?? DEFAULTS.positiveDeadlineMs;
  const retryDelayMs = options.retryDelayMs ?? DEFAULTS.retryDelayMs;
  const positive = spec.expected === 'allowed';
  const timeoutSec = positive
    ? (options.tryTimeoutSec ?? DEFAULTS.tryTimeoutSec)
    : (options.negativeTimeoutSec ?? DEFAULTS.negativeTimeoutSec);
  const fromEndpoint = endpoints.get(spec.from) ?? { subnet: spec.from, address: '', label: spec.from };
  const toFull = endpoints.get(spec.to) ?? { subnet: spec.to, address: '', label: spec.to };
  // The destination's namespace is not part of the probe: probes run in the source.
  const { netns: _ignored, ...toEndpoint } = toFull;
  const started = clock.now();
  const base = {
    id: spec.id,
    phase: options.phase,
    kind: spec.kind,
    from: fromEndpoint,
    to: toEndpoint,
    ...(spec.port === undefined ? {} : { port: spec.port }),
    expected: spec.expected,
    control: spec.control,
    ...(spec.once ? { once: true } : {}),
    startedAt: new Date(started).toISOString(),
  };

  const missing = unresolved(spec, endpoints);
  if (missing) {
    return { ...base, outcome: 'error', command: '', tries: 0, durationMs: 0, detail: `not run: ${missing}` };
  }

  let tries = 0;
  for (;;) {
    tries++;
    const argv = argvFor(spec, toEndpoint.address, timeoutSec);
    const result = await exec(argv, {
      netns: fromEndpoint.netns,
      // A backstop only: ping's -W and curl's --max-time end the probe first.
      timeoutMs: (timeoutSec + 10) * 1000,
      label: `probe:${spec.id}`,
      ...(options.events ? { events: options.events } : {}),
    });
    const c = classify(spec.kind, result);
    const done =
      !positive ||
      spec.once === true ||
      c.outcome === 'connected' ||
      c.outcome === 'error' ||
      clock.now() - started + retryDelayMs >= deadlineMs;
    if (done) {
      return {
        ...base,
        outcome: c.outcome,
        command: result.escapedCommand,
        tries,
        durationMs: clock.now() - started,
        detail: c.detail,
        ...(c.seenSource === undefined ? {} : { seenSource: c.seenSource }),
        ...(c.httpStatus === undefined ? {} : { httpStatus: c.httpStatus }),
      };
    }
    await clock.sleep(retryDelayMs);
  }
}

async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Floor, factor and cap of the derived negative-probe timeout (seconds). */
export const NEGATIVE_TIMEOUT = { floorSec: 0.3, factor: 4, capSec: 2 };

/**
 * How long a "must be blocked" probe waits, from the stage's measured round
 * trips: a multiple of the slowest first-try success (which includes process
 * start-up), never under the floor nor over the cap. A short wait is safe
 * only because negatives run after their source's positive controls passed:
 * the network is known to answer within that time, so silence means blocked.
 * No first-try success to measure: the cap.
 */
export function negativeTimeoutFrom(positives: readonly ProbeResult[]): number {
  const times = positives.filter((r) => r.outcome === 'connected' && r.tries === 1).map((r) => r.durationMs);
  if (times.length === 0) return NEGATIVE_TIMEOUT.capSec;
  const slowest = Math.max(...times) / 1000;
  const wanted = Math.max(NEGATIVE_TIMEOUT.floorSec, slowest * NEGATIVE_TIMEOUT.factor);
  return Math.min(NEGATIVE_TIMEOUT.capSec, Math.round(wanted * 10) / 10);
}

/** The record's probe event, the moment a probe's outcome is final (so a killed harness still leaves it). */
function recordProbe(options: ProbeRunOptions, result: ProbeResult): ProbeResult {
  options.events?.emit({
    kind: 'probe',
    at: new Date().toISOString(),
    phase: options.phase as PhaseId,
    stage: options.stage ?? options.phase,
    result,
  });
  return result;
}

export interface MatrixResult {
  /** In the order of the specs. */
  probes: ProbeResult[];
  /** ms from the start until every positive control passed; undefined when one never did. */
  settleMs: number | undefined;
  /** Per source subnet: whether all of its positive controls passed. */
  controlsPassed: Record<string, boolean>;
}

/**
 * Run one stage's probe matrix with the settling rule (docs/architecture.md): every "must
 * connect" probe first (controls retry to their deadline; the settle time is
 * when the last control passed), then the "must be blocked" probes, each
 * marked with whether its source's controls passed. A negative probe from a
 * source whose controls failed still runs (a connection is still proof of "not
 * blocked"), but its "blocked" reading does not count.
 */
export async function runMatrix(
  specs: readonly ProbeSpec[],
  endpoints: Endpoints,
  options: ProbeRunOptions,
): Promise<MatrixResult> {
  const clock = options.clock ?? realClock;
  const limit = options.concurrency ?? DEFAULTS.concurrency;
  const start = clock.now();
  // Controls first in the queue, so they start first when the pool is full.
  const positives = specs
    .filter((s) => s.expected === 'allowed')
    .sort((a, b) => Number(b.control) - Number(a.control));
  const passedAt = new Map<string, number>();
  const positiveResults = await pool(positives, limit, async (spec) => {
    const result = await runProbe(spec, endpoints, options);
    if (result.outcome === 'connected') passedAt.set(spec.id, clock.now() - start);
    return recordProbe(options, result);
  });

  const controls = specs.filter((s) => s.control);
  const controlsPassed: Record<string, boolean> = {};
  for (const source of new Set(specs.map((s) => s.from))) {
    const own = controls.filter((c) => c.from === source);
    controlsPassed[source] = own.length > 0 && own.every((c) => passedAt.has(c.id));
  }
  const allControlsPassed = controls.every((c) => passedAt.has(c.id));
  const settleMs = allControlsPassed
    ? Math.max(0, ...controls.map((c) => passedAt.get(c.id) ?? 0))
    : undefined;

  const negatives = specs.filter((s) => s.expected !== 'allowed');
  const negativeTimeoutSec = options.negativeTimeoutSec ?? negativeTimeoutFrom(positiveResults);
  if (negatives.length > 0) {
    options.events?.note(
      `negative probes of stage ${options.stage ?? options.phase}: timeout ${negativeTimeoutSec} s, from the round trips of ${positiveResults.filter((r) => r.outcome === 'connected' && r.tries === 1).length} first-try successes`,
    );
  }
  const negativeResults = await pool(negatives, limit, async (spec) =>
    recordProbe(options, {
      ...(await runProbe(spec, endpoints, { ...options, negativeTimeoutSec })),
      controlsPassed: controlsPassed[spec.from] ?? false,
    }),
  );

  const byId = new Map([...positiveResults, ...negativeResults].map((r) => [r.id, r]));
  return {
    probes: specs.map((s) => byId.get(s.id) as ProbeResult),
    settleMs,
    controlsPassed,
  };
}
