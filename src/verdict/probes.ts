import type { CriterionId } from '../model/criteria.js';
import type { PhaseEvidence, PhaseId, ProbeSpec } from '../model/evidence.js';
import type { ProbeResult } from '../model/probe.js';
import { placedProbes } from '../plan/lookup.js';
import type { PlacedProbe } from '../plan/types.js';
import { type Context, isPart, reached } from './context.js';
import { describeProbe, probeEvidence } from './describe.js';
import { type Part, part, RANK } from './part.js';

/**
 * Judging a criterion by its probes (DESIGN.md "Probes"):
 * - "must connect": connected (plus what the criterion asks of the answer);
 * - "must be blocked": timeout or unreachable AND every positive control from
 *   the same source in the same stage connected; `refused` means the packet
 *   arrived, unless the listener there is proven alive (then a REJECT rule answered);
 *   arrived (not blocked); `error` is never blocked.
 */

export function specsOf(ctx: Context, criterion: CriterionId, phase: PhaseId): PlacedProbe[] {
  return placedProbes(ctx.plan).filter((p) => p.phase === phase && p.spec.criteria.includes(criterion));
}

/** Subnets a set of probes needs; each must have been discovered in that phase. */
function discoveryParts(ctx: Context, phase: PhaseEvidence, specs: PlacedProbe[]): Part[] {
  const keys = [...new Set(specs.flatMap((p) => [p.spec.from, p.spec.to]))].filter(
    (k) => k !== 'internet' && k !== ctx.plan.internet.label,
  );
  const parts: Part[] = [];
  for (const key of keys) {
    const found = phase.discovery.find((d) => d.key === key);
    if (!found) {
      parts.push(
        part(
          'error',
          `the harness recorded no discovery of ${key} in phase ${phase.phase}`,
          phase.phase,
          RANK.missing,
        ),
      );
    } else if (!found.netns || !found.address) {
      parts.push(
        part(
          'failed',
          `subnet ${key} (${found.cidr}) was not found in phase ${phase.phase}: ${found.problem ?? 'no namespace holds an address inside it'}`,
          phase.phase,
          RANK.missing,
        ),
      );
    }
  }
  return parts;
}

function refusedHint(r: ProbeResult): string {
  const harnessOwned = r.kind === 'tcp' && r.to.subnet !== undefined;
  return harnessOwned
    ? 'the harness listens there, so a RST or ICMP port-unreachable came back (a REJECT rule?)'
    : 'nothing accepted the connection (is the server running?)';
}

/** What a criterion asks of a connected probe beyond the connection. */
function answerProblem(criterion: CriterionId, r: ProbeResult): Part | undefined {
  const where = describeProbe(r);
  const command = r.command ? `; command: ${r.command}` : '';
  if (criterion === 'app-deployed' && r.kind === 'http' && r.httpStatus !== 200) {
    const got = r.httpStatus === undefined ? 'no HTTP answer' : `HTTP ${r.httpStatus}`;
    return part('failed', `${where} connected but got ${got}, not 200${command}`, r.phase, RANK.positive, [
      r,
    ]);
  }
  if (criterion === 'policy-allowed' && r.kind === 'http' && r.httpStatus === undefined) {
    return part('failed', `${where} connected but got no HTTP answer${command}`, r.phase, RANK.positive, [r]);
  }
  if (criterion === 'source-preserved' && r.kind === 'tcp') {
    if (r.seenSource === undefined) {
      return part(
        'error',
        `${where}: the listener's answer carried no source address${command}`,
        r.phase,
        RANK.positive,
        [r],
      );
    }
    if (r.seenSource !== r.from.address) {
      return part(
        'failed',
        `${where}: the listener saw ${r.seenSource}, not the sender's own ${r.from.address}: the source address was rewritten (a MASQUERADE rule without -o?)${command}`,
        r.phase,
        RANK.positive,
        [r],
      );
    }
  }
  return undefined;
}

function judgePositive(criterion: CriterionId, r: ProbeResult, asControl: boolean): Part {
  const role = asControl ? 'positive control ' : '';
  const rank = asControl ? RANK.control : RANK.positive;
  const where = `${role}${describeProbe(r)}`;
  switch (r.outcome) {
    case 'connected':
      return answerProblem(criterion, r) ?? part('passed', `${where} connected`, r.phase, rank, [r]);
    case 'error':
      return part('error', `${where} could not be run or broke: ${probeEvidence(r)}`, r.phase, rank, [r]);
    case 'refused':
      return part('failed', `${where}: ${probeEvidence(r)}: ${refusedHint(r)}`, r.phase, rank, [r]);
    case 'timeout':
    case 'unreachable':
      return part('failed', `${where}: ${probeEvidence(r)}`, r.phase, rank, [r]);
  }
}

/**
 * A refused connection to a port where the harness's listener was proven
 * alive in the same phase (another probe connected to the same address and
 * port) did not reach the listener: a firewall answered it (REJECT with a TCP
 * reset). That is blocked, by a different design than DROP; a refusal without
 * that proof may be a closed port, and is not.
 */
export function rejectedByFirewall(r: ProbeResult, phase: PhaseEvidence): boolean {
  if (r.outcome !== 'refused' || r.kind === 'icmp' || r.to.subnet === undefined) return false;
  return phase.probes.some(
    (p) =>
      p.id !== r.id &&
      p.outcome === 'connected' &&
      p.kind !== 'icmp' &&
      p.to.address === r.to.address &&
      p.port === r.port,
  );
}

function judgeNegative(r: ProbeResult, placed: PlacedProbe, phase: PhaseEvidence, ctx: Context): Part {
  const where = describeProbe(r);
  if (r.outcome === 'error') {
    return part(
      'error',
      `${where} could not be run or broke, and a broken probe is never read as blocked: ${probeEvidence(r)}`,
      r.phase,
      RANK.leak,
      [r],
    );
  }
  if (r.outcome === 'connected') {
    return part('failed', `${where} got through: ${probeEvidence(r)}`, r.phase, RANK.leak, [r]);
  }
  if (r.outcome === 'refused' && !rejectedByFirewall(r, phase)) {
    return part(
      'failed',
      `${where} was refused, not blocked: a RST or ICMP port-unreachable came back, so the packet reached the host or a REJECT rule answered it: ${probeEvidence(r)}`,
      r.phase,
      RANK.leak,
      [r],
    );
  }
  const stage = ctx.plan.phases.flatMap((p) => p.stages).find((s) => s.id === placed.stage);
  const controlSpecs: ProbeSpec[] = (stage?.probes ?? []).filter(
    (s) => s.control && s.from === placed.spec.from,
  );
  const controls = controlSpecs.map((s) => ({ spec: s, result: phase.probes.find((p) => p.id === s.id) }));
  const used = [r, ...controls.flatMap((c) => (c.result ? [c.result] : []))];
  const broken = controls.find((c) => c.result?.outcome === 'error');
  if (broken?.result) {
    return part(
      'error',
      `${where} was ${r.outcome}, but the positive control ${describeProbe(broken.result)} from the same source broke (${broken.result.detail ?? 'error'}): cannot tell blocked from broken`,
      r.phase,
      RANK.uncontrolled,
      used,
    );
  }
  const failing = controls.find((c) => c.result?.outcome !== 'connected');
  if (controlSpecs.length === 0 || failing || r.controlsPassed === false) {
    const why =
      controlSpecs.length === 0
        ? 'the plan has no positive control for it'
        : failing?.result
          ? `the positive control ${describeProbe(failing.result)} got ${failing.result.outcome}${failing.result.tries > 1 ? ` after ${failing.result.tries} tries` : ''}`
          : failing
            ? `the positive control ${failing.spec.id} has no result`
            : 'it ran before its positive controls had passed';
    return part(
      'failed',
      `no positive control from ${r.from.label} passed in this stage, so ${where} being ${r.outcome} cannot be told from a broken network: ${why}; command: ${r.command}`,
      r.phase,
      RANK.uncontrolled,
      used,
    );
  }
  const how =
    r.outcome === 'refused' ? 'rejected by a firewall rule: the listener there answers others' : r.outcome;
  return part('passed', `${where} blocked (${how}) with positive controls`, r.phase, RANK.leak, used);
}

/** Whether the criterion has a "must be blocked" probe from this source in this stage. */
function guardsNegatives(placed: PlacedProbe, all: PlacedProbe[]): boolean {
  return all.some(
    (o) => o.stage === placed.stage && o.spec.expected === 'blocked' && o.spec.from === placed.spec.from,
  );
}

/** Judge the criterion's probes in one phase. */
export function judgeProbesIn(ctx: Context, criterion: CriterionId, phaseId: PhaseId): Part[] {
  const specs = specsOf(ctx, criterion, phaseId);
  if (specs.length === 0) return [];
  const phase = reached(ctx, phaseId);
  if (isPart(phase)) return [phase];
  const missing = discoveryParts(ctx, phase, specs);
  if (missing.length > 0) return missing;
  return specs.map((placed) => {
    const r = phase.probes.find((p) => p.id === placed.spec.id);
    if (!r) {
      return ctx.evidence.deadlineHit
        ? part('not-run', `probe ${placed.spec.id} was cut short by the run's deadline`, phaseId, RANK.info)
        : part('error', `the harness recorded no result for probe ${placed.spec.id}`, phaseId, RANK.missing);
    }
    if (placed.spec.expected === 'blocked') return judgeNegative(r, placed, phase, ctx);
    return judgePositive(criterion, r, placed.spec.control && guardsNegatives(placed, specs));
  });
}

/** `4 must-connect probes connected (one after 3 tries); 16 must-be-blocked probes blocked with positive controls` */
export function probeSummary(all: readonly ProbeResult[]): string {
  const probes = [...new Map(all.map((p) => [`${p.phase}\u0000${p.id}`, p])).values()];
  const positives = probes.filter((p) => p.expected === 'allowed');
  const negatives = probes.filter((p) => p.expected === 'blocked');
  const parts: string[] = [];
  if (positives.length > 0) {
    const slowest = Math.max(...positives.map((p) => p.tries));
    parts.push(
      `${positives.length} must-connect probe${positives.length === 1 ? '' : 's'} connected${slowest > 1 ? ` (the slowest after ${slowest} tries)` : ''}`,
    );
  }
  if (negatives.length > 0) {
    parts.push(
      `${negatives.length} must-be-blocked probe${negatives.length === 1 ? '' : 's'} blocked after positive controls from the same source passed`,
    );
  }
  return parts.join('; ');
}
