import type { ProbeResult } from '../../model/probe.js';
import { isPart, reached } from '../../verdict/context.js';
import { describeProbe, probeEvidence } from '../../verdict/describe.js';
import { type Part, part, RANK } from '../../verdict/part.js';
import { rejectedByFirewall } from '../../verdict/probes.js';
import { type ControlView, type PhaseView, type ProbePhaseView, type ProbeView, viewOf } from '../lab.js';
import { answer, type MatcherResult, type MatcherThis } from './verdict.js';

/**
 * Judging by probes (docs/architecture.md "Criteria: one file each"):
 * - "must connect": connected (plus what the criterion asks of the answer);
 * - "must be blocked": timeout or unreachable AND every positive control from
 *   the same source in the same stage connected AND, when it declares path
 *   controls, one of them connected (the same kind of path carries traffic);
 *   `refused` means the packet arrived, unless the listener there is proven
 *   alive (then a REJECT rule answered); `error` is never blocked.
 */

/** The not-run part of a phase that was not reached; nothing when it was. */
export function toHaveBeenReached(this: MatcherThis, received: unknown): MatcherResult {
  const phase = viewOf(received, 'phase', 'toHaveBeenReached', "a phase (lab.phase('vpc1'))");
  const evidence = reached(phase.lab.ctx, phase.id);
  return answer(this, 'toHaveBeenReached', phase.lab, isPart(evidence) ? [evidence] : []);
}

/** Every subnet the phase's probes need was discovered in it (nothing to say about a phase not reached). */
export function toHaveFoundItsSubnets(this: MatcherThis, received: unknown): MatcherResult {
  const phase = viewOf(
    received,
    'phase',
    'toHaveFoundItsSubnets',
    'a phase of lab.probePhases()',
  ) as PhaseView & Partial<ProbePhaseView>;
  if (!phase.subnetKeys) throw new TypeError('toHaveFoundItsSubnets() judges a phase of lab.probePhases()');
  const evidence = phase.evidence;
  const parts: Part[] = [];
  if (evidence?.reached) {
    for (const key of phase.subnetKeys) {
      const found = evidence.discovery.find((d) => d.key === key);
      if (!found) {
        parts.push(
          part(
            'error',
            `the harness recorded no discovery of ${key} in phase ${evidence.phase}`,
            evidence.phase,
            RANK.missing,
          ),
        );
      } else if (!found.netns || !found.address) {
        parts.push(
          part(
            'failed',
            `subnet ${key} (${found.cidr}) was not found in phase ${evidence.phase}: ${found.problem ?? 'no namespace holds an address inside it'}`,
            evidence.phase,
            RANK.missing,
          ),
        );
      }
    }
  }
  return answer(this, 'toHaveFoundItsSubnets', phase.lab, parts);
}

/** No result for a planned probe: the deadline cut it short (not-run), or the harness lost it (error). */
function missingResult(probe: ProbeView): Part {
  return probe.lab.ctx.evidence.deadlineHit
    ? part('not-run', `probe ${probe.id} was cut short by the run's deadline`, probe.phase.id, RANK.info)
    : part('error', `the harness recorded no result for probe ${probe.id}`, probe.phase.id, RANK.missing);
}

function refusedHint(r: ProbeResult): string {
  const harnessOwned = r.kind === 'tcp' && r.to.subnet !== undefined;
  return harnessOwned
    ? 'the harness listens there, so a RST or ICMP port-unreachable came back (a REJECT rule?)'
    : 'nothing accepted the connection (is the server running?)';
}

/** A must-connect probe: connected, or why not. `answerProblem` is what else the criterion asks of the answer. */
function judgePositive(
  r: ProbeResult,
  asControl: boolean,
  answerProblem: (r: ProbeResult) => Part | undefined = () => undefined,
): Part {
  const role = asControl ? 'positive control ' : '';
  const rank = asControl ? RANK.control : RANK.positive;
  const where = `${role}${describeProbe(r)}`;
  switch (r.outcome) {
    case 'connected':
      return answerProblem(r) ?? part('passed', `${where} connected`, r.phase, rank, [r]);
    case 'error':
      return part('error', `${where} could not be run or broke: ${probeEvidence(r)}`, r.phase, rank, [r]);
    case 'refused':
      return part('failed', `${where}: ${probeEvidence(r)}: ${refusedHint(r)}`, r.phase, rank, [r]);
    case 'timeout':
    case 'unreachable':
      return part('failed', `${where}: ${probeEvidence(r)}`, r.phase, rank, [r]);
  }
}

function positive(
  self: MatcherThis,
  name: string,
  received: unknown,
  answerProblem?: (r: ProbeResult) => Part | undefined,
): MatcherResult {
  const probe = viewOf(received, 'probe', name, 'a probe of phase.probes');
  const r = probe.result;
  return answer(self, name, probe.lab, [
    r ? judgePositive(r, probe.asControl, answerProblem) : missingResult(probe),
  ]);
}

/** A must-connect probe connected. */
export function toConnect(this: MatcherThis, received: unknown): MatcherResult {
  return positive(this, 'toConnect', received);
}

/** An HTTP probe connected and got an answer: any status, or exactly `status`. */
export function toAnswerHttp(this: MatcherThis, received: unknown, status?: number): MatcherResult {
  return positive(this, 'toAnswerHttp', received, (r) => {
    if (r.kind !== 'http') throw new TypeError(`toAnswerHttp() judges an HTTP probe, not ${r.id}`);
    const command = r.command ? `; command: ${r.command}` : '';
    if (status !== undefined && r.httpStatus !== status) {
      const got = r.httpStatus === undefined ? 'no HTTP answer' : `HTTP ${r.httpStatus}`;
      return part(
        'failed',
        `${describeProbe(r)} connected but got ${got}, not ${status}${command}`,
        r.phase,
        RANK.positive,
        [r],
      );
    }
    if (r.httpStatus === undefined) {
      return part(
        'failed',
        `${describeProbe(r)} connected but got no HTTP answer${command}`,
        r.phase,
        RANK.positive,
        [r],
      );
    }
    return undefined;
  });
}

/** A TCP probe to a harness listener connected, and the listener saw the sender's own address. */
export function toKeepSourceAddress(this: MatcherThis, received: unknown): MatcherResult {
  return positive(this, 'toKeepSourceAddress', received, (r) => {
    if (r.kind !== 'tcp') throw new TypeError(`toKeepSourceAddress() judges a TCP probe, not ${r.id}`);
    const where = describeProbe(r);
    const command = r.command ? `; command: ${r.command}` : '';
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
    return undefined;
  });
}

function judgeNegative(r: ProbeResult, probe: ProbeView, controls: readonly ControlView[]): Part {
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
  if (r.outcome === 'refused' && !rejectedByFirewall(r, probe.evidence)) {
    return part(
      'failed',
      `${where} was refused, not blocked: a RST or ICMP port-unreachable came back, so the packet reached the host or a REJECT rule answered it: ${probeEvidence(r)}`,
      r.phase,
      RANK.leak,
      [r],
    );
  }
  const used = [r, ...controls.flatMap((c) => (c.result ? [c.result] : []))];
  const own = controls.filter((c) => c.role !== 'path');
  const broken = own.find((c) => c.result?.outcome === 'error');
  if (broken?.result) {
    return part(
      'error',
      `${where} was ${r.outcome}, but the positive control ${describeProbe(broken.result)} from the same source broke (${broken.result.detail ?? 'error'}): cannot tell blocked from broken`,
      r.phase,
      RANK.uncontrolled,
      used,
    );
  }
  const failing = own.find((c) => c.result?.outcome !== 'connected');
  if (own.length === 0 || failing || r.controlsPassed === false) {
    const why =
      own.length === 0
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
  const unproven = pathUnproven(r, probe, controls, used);
  if (unproven) return unproven;
  const how =
    r.outcome === 'refused' ? 'rejected by a firewall rule: the listener there answers others' : r.outcome;
  const path = probe.placed.spec.path ? ' and a path control' : '';
  return part('passed', `${where} blocked (${how}) with positive controls${path}`, r.phase, RANK.leak, used);
}

/**
 * A must-be-blocked probe with path controls counts only when one of them
 * connected: the same kind of path carries traffic in its stage, so the
 * block is the rule's doing, not a path that carries nothing. The failed
 * part when none did (an error part when every one that ran broke).
 */
function pathUnproven(
  r: ProbeResult,
  probe: ProbeView,
  controls: readonly ControlView[],
  used: ProbeResult[],
): Part | undefined {
  const declared = probe.placed.spec.path;
  if (!declared) return undefined;
  const path = controls.filter((c) => c.role === 'path');
  if (path.some((c) => c.result?.outcome === 'connected')) return undefined;
  const ran = path.flatMap((c) => (c.result ? [c.result] : []));
  const seen =
    path.length === 0
      ? 'the plan has none of its path controls'
      : path
          .map((c) =>
            c.result
              ? `${describeProbe(c.result)} got ${c.result.outcome}${c.result.tries > 1 ? ` after ${c.result.tries} tries` : ''}`
              : `${c.spec.id} has no result`,
          )
          .join('; ');
  const allBroke = ran.length > 0 && ran.every((c) => c.outcome === 'error');
  const where = describeProbe(r);
  return part(
    allBroke ? 'error' : 'failed',
    allBroke
      ? `${where} was ${r.outcome}, but every path control broke (${seen}): cannot tell blocked from broken`
      : `${declared.unproven} (${seen}), so ${r.from.label} being blocked (${where}: ${r.outcome}) proves nothing; command: ${r.command}`,
    r.phase,
    RANK.uncontrolled,
    used,
  );
}

/**
 * A must-be-blocked probe was blocked (timeout, unreachable, or a REJECT the
 * listener there proves), every positive control from the same source in the
 * same stage connected, and one of its path controls did (`probe.controls`
 * holds both).
 */
export function toBeBlockedWithControl(
  this: MatcherThis,
  received: unknown,
  controls: unknown,
): MatcherResult {
  const probe = viewOf(received, 'probe', 'toBeBlockedWithControl', 'a probe of phase.probes');
  if (!Array.isArray(controls))
    throw new TypeError('toBeBlockedWithControl() needs the controls: probe.controls');
  const r = probe.result;
  return answer(this, 'toBeBlockedWithControl', probe.lab, [
    r ? judgeNegative(r, probe, controls as ControlView[]) : missingResult(probe),
  ]);
}
