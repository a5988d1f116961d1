import type { CriterionId } from '../model/criteria.js';
import type { CommandCheck, PhaseEvidence } from '../model/evidence.js';
import { type Context, isPart, reached } from './context.js';
import { listSome, oneLine } from './describe.js';
import { type Part, part, RANK } from './part.js';

/**
 * Criteria judged from command checks (rejects-bad-input, idempotent-create,
 * inspect-works). Each also needs a sign that the target does work on good
 * input, or a do-nothing target would pass them vacuously.
 */

function criterionOf(check: CommandCheck, phase: PhaseEvidence): CriterionId {
  if (check.criterion) return check.criterion;
  if (check.want === 'reject') return 'rejects-bad-input';
  return phase.phase === 'inspect' ? 'inspect-works' : 'idempotent-create';
}

function checksFor(phase: PhaseEvidence, criterion: CriterionId): CommandCheck[] {
  return phase.checks.filter((c) => criterionOf(c, phase) === criterion);
}

function output(check: CommandCheck): string {
  return `${check.stdout}\n${check.stderr}`.trim();
}

/** The check's own message: stderr first (where CLIs complain), else stdout. */
function said(check: CommandCheck, max = 160): string {
  return oneLine(check.stderr, max) || oneLine(check.stdout, max);
}

function noChecks(ctx: Context, phase: PhaseEvidence, what: string): Part {
  return ctx.evidence.deadlineHit
    ? part('not-run', `the ${what} check was cut short by the run's deadline`, phase.phase, RANK.info)
    : part(
        'error',
        `the harness recorded no ${what} check in phase ${phase.phase}`,
        phase.phase,
        RANK.missing,
      );
}

export function judgeRejectsBadInput(ctx: Context): Part[] {
  const phase = reached(ctx, 'bad-input');
  if (isPart(phase)) return [phase];
  const checks = checksFor(phase, 'rejects-bad-input');
  if (checks.length === 0) return [noChecks(ctx, phase, 'bad-input')];
  const parts: Part[] = checks.map((check) => {
    const where = `${check.title} (${check.command})`;
    if (check.exitCode === undefined) {
      return part('failed', `${where} did not finish (killed at its timeout)`, phase.phase, RANK.positive);
    }
    if (check.exitCode === 0) {
      return part('failed', `accepted bad input: ${where} exited 0`, phase.phase, RANK.leak);
    }
    if (output(check) === '') {
      return part(
        'failed',
        `${where} exited ${check.exitCode} without a message`,
        phase.phase,
        RANK.positive,
      );
    }
    if (check.leftBehind.length > 0) {
      return part(
        'failed',
        `${where} was rejected but left behind: ${listSome(check.leftBehind)}`,
        phase.phase,
        RANK.positive,
      );
    }
    return part(
      'passed',
      `${check.title}: exit ${check.exitCode}, "${said(check, 80)}"`,
      phase.phase,
      RANK.info,
    );
  });
  // The positive control: the valid VPC of this phase was accepted.
  const creates = phase.steps.filter((s) => s.step === 'createVpc');
  if (creates.length === 0) {
    parts.push(
      part(
        'error',
        'the harness recorded no valid create-vpc in phase bad-input (the control)',
        phase.phase,
        RANK.missing,
      ),
    );
  } else if (!creates.some((s) => s.status === 'ran')) {
    const first = creates[0];
    const detail = first?.commands.at(-1);
    parts.push(
      part(
        'failed',
        `the target also fails on valid input (${detail?.command ?? 'create-vpc'} exited ${detail?.exitCode ?? '?'}: ${oneLine(detail?.stderr ?? '') || first?.status}), so its rejections show nothing`,
        phase.phase,
        RANK.control,
      ),
    );
  }
  return parts;
}

export function judgeIdempotentCreate(ctx: Context): Part[] {
  const phase = reached(ctx, 'vpc1');
  if (isPart(phase)) return [phase];
  const checks = checksFor(phase, 'idempotent-create');
  if (checks.length === 0) return [noChecks(ctx, phase, 'repeated create')];
  const built = phase.discovery.some((d) => d.netns !== undefined);
  const createRan = phase.steps.some((s) => s.step === 'createVpc' && s.status === 'ran');
  const parts: Part[] = [];
  if (!built || !createRan) {
    parts.push(
      part(
        'failed',
        `the VPC was never built (${createRan ? 'no subnet of it was found' : 'create-vpc did not succeed'}), so creating it again shows nothing`,
        phase.phase,
        RANK.control,
      ),
    );
  }
  for (const check of checks) {
    const where = `${check.title} (${check.command})`;
    if (check.exitCode === undefined) {
      parts.push(
        part('failed', `${where} did not finish (killed at its timeout)`, phase.phase, RANK.positive),
      );
    } else if (check.leftBehind.length > 0) {
      parts.push(
        part(
          'failed',
          `${where} changed the sandbox the second time: ${listSome(check.leftBehind)}`,
          phase.phase,
          RANK.positive,
        ),
      );
    } else if (check.exitCode === 0) {
      parts.push(part('passed', `${check.title}: exit 0, nothing changed`, phase.phase, RANK.info));
    } else if (/already exist|exists already/i.test(output(check))) {
      // A considered "already exists" is idempotent enough; a raw `RTNETLINK answers: File exists` is not.
      parts.push(
        part(
          'passed',
          `${check.title}: refused with "${said(check, 80)}" and nothing changed`,
          phase.phase,
          RANK.info,
        ),
      );
    } else {
      parts.push(
        part(
          'failed',
          `${where} exited ${check.exitCode} without saying the VPC already exists: ${said(check) || 'no message'}`,
          phase.phase,
          RANK.positive,
        ),
      );
    }
  }
  return parts;
}

export function judgeInspectWorks(ctx: Context): Part[] {
  const phase = reached(ctx, 'inspect');
  if (isPart(phase)) return [phase];
  const checks = checksFor(phase, 'inspect-works');
  if (checks.length === 0) return [noChecks(ctx, phase, 'inspect')];
  const known = [
    ...phase.discovery.flatMap((d) => [d.netns, d.address].filter((v): v is string => Boolean(v))),
    ...ctx.plan.vpcs.flatMap((v) => [v.cidr, ...v.subnets.map((s) => s.cidr)]),
  ];
  return checks.map((check) => {
    const where = `${check.title} (${check.command})`;
    const text = output(check);
    if (check.exitCode !== 0) {
      return part(
        'failed',
        `${where} ${check.exitCode === undefined ? 'did not finish' : `exited ${check.exitCode}`}: ${said(check) || 'no message'}`,
        phase.phase,
        RANK.positive,
      );
    }
    if (check.leftBehind.length > 0) {
      return part(
        'failed',
        `${where} changed the sandbox (inspecting must not): ${listSome(check.leftBehind)}`,
        phase.phase,
        RANK.positive,
      );
    }
    const mentioned = known.filter((k) => text.includes(k));
    if (mentioned.length === 0) {
      return part(
        'failed',
        `${where} printed ${text === '' ? 'nothing' : 'nothing about the lab'}: no namespace, address or CIDR of it`,
        phase.phase,
        RANK.positive,
      );
    }
    return part(
      'passed',
      `${check.title}: exit 0, shows ${listSome([...new Set(mentioned)], 4)}, nothing changed`,
      phase.phase,
      RANK.info,
    );
  });
}
