import type { CommandCheck } from '../../model/evidence.js';
import { listSome, oneLine } from '../../verdict/describe.js';
import { type Part, part, RANK } from '../../verdict/part.js';
import { type CheckView, viewOf } from '../lab.js';
import { answer, type MatcherResult, type MatcherThis } from './verdict.js';

/**
 * Command checks (rejects-bad-input, idempotent-create, inspect-works). Each
 * criterion also needs a sign that the target does work on good input, or a
 * do-nothing target would pass it vacuously: that is its control matcher.
 */

function output(check: CommandCheck): string {
  return `${check.stdout}\n${check.stderr}`.trim();
}

/** The check's own message: stderr first (where CLIs complain), else stdout. */
function said(check: CommandCheck, max = 160): string {
  return oneLine(check.stderr, max) || oneLine(check.stdout, max);
}

function where(check: CommandCheck): string {
  return `${check.title} (${check.command})`;
}

/** The harness recorded this criterion's checks in the phase (`what`: the checks' name in the message). */
export function toHaveRecordedChecks(this: MatcherThis, received: unknown, what: string): MatcherResult {
  const phase = viewOf(received, 'phase', 'toHaveRecordedChecks', "a phase (lab.phase('bad-input'))");
  const parts: Part[] = [];
  if (phase.reached && phase.checks.length === 0) {
    parts.push(
      phase.lab.ctx.evidence.deadlineHit
        ? part('not-run', `the ${what} check was cut short by the run's deadline`, phase.id, RANK.info)
        : part('error', `the harness recorded no ${what} check in phase ${phase.id}`, phase.id, RANK.missing),
    );
  }
  return answer(this, 'toHaveRecordedChecks', phase.lab, parts);
}

function checkOf(received: unknown, matcher: string): CheckView {
  return viewOf(received, 'check', matcher, 'a command check (phase.checks)');
}

/**
 * A check the profile cannot express (`skipped`) is neutral: it says nothing
 * while another check of the criterion was judged, and not-run (with its
 * reason) when every one was skipped.
 */
function skippedCheck(view: CheckView): Part[] | undefined {
  const { check } = view;
  if (check.skipped === undefined) return undefined;
  if (view.phase.checks.some((c) => c.check.skipped === undefined)) return [];
  return [part('not-run', `${check.title}: not run: ${check.skipped}`, view.phase.id, RANK.info)];
}

/** Bad input: a non-zero exit, a message, and nothing left behind. */
export function toBeRejectedCleanly(this: MatcherThis, received: unknown): MatcherResult {
  const view = checkOf(received, 'toBeRejectedCleanly');
  const { check } = view;
  const phase = view.phase.id;
  const skipped = skippedCheck(view);
  if (skipped) return answer(this, 'toBeRejectedCleanly', view.lab, skipped);
  let judged: Part;
  if (check.exitCode === undefined) {
    judged = part('failed', `${where(check)} did not finish (killed at its timeout)`, phase, RANK.positive);
  } else if (check.exitCode === 0) {
    judged = part('failed', `accepted bad input: ${where(check)} exited 0`, phase, RANK.leak);
  } else if (output(check) === '') {
    judged = part(
      'failed',
      `${where(check)} exited ${check.exitCode} without a message`,
      phase,
      RANK.positive,
    );
  } else if (check.leftBehind.length > 0) {
    judged = part(
      'failed',
      `${where(check)} was rejected but left behind: ${listSome(check.leftBehind)}`,
      phase,
      RANK.positive,
    );
  } else {
    judged = part('passed', `${check.title}: exit ${check.exitCode}, "${said(check, 80)}"`, phase, RANK.info);
  }
  return answer(this, 'toBeRejectedCleanly', view.lab, [judged]);
}

/** The control of rejects-bad-input: the phase's valid create-vpc was accepted. */
export function toHaveAcceptedValidInput(this: MatcherThis, received: unknown): MatcherResult {
  const phase = viewOf(received, 'phase', 'toHaveAcceptedValidInput', "a phase (lab.phase('bad-input'))");
  const creates = phase.steps('createVpc');
  const parts: Part[] = [];
  if (creates.length === 0) {
    parts.push(
      part(
        'error',
        `the harness recorded no valid create-vpc in phase ${phase.id} (the control)`,
        phase.id,
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
        phase.id,
        RANK.control,
      ),
    );
  }
  return answer(this, 'toHaveAcceptedValidInput', phase.lab, parts);
}

/** The control of idempotent-create: the VPC was built in this phase (create-vpc ran, a subnet was found). */
export function toHaveBuiltTheVpc(this: MatcherThis, received: unknown): MatcherResult {
  const phase = viewOf(received, 'phase', 'toHaveBuiltTheVpc', "a phase (lab.phase('vpc1'))");
  const built = (phase.evidence?.discovery ?? []).some((d) => d.netns !== undefined);
  const createRan = phase.steps('createVpc').some((s) => s.status === 'ran');
  const parts: Part[] = [];
  if (!built || !createRan) {
    parts.push(
      part(
        'failed',
        `the VPC was never built (${createRan ? 'no subnet of it was found' : 'create-vpc did not succeed'}), so creating it again shows nothing`,
        phase.id,
        RANK.control,
      ),
    );
  }
  return answer(this, 'toHaveBuiltTheVpc', phase.lab, parts);
}

/** Creating again: exit 0, or a considered "already exists", and nothing changed. */
export function toChangeNothingWhenRepeated(this: MatcherThis, received: unknown): MatcherResult {
  const view = checkOf(received, 'toChangeNothingWhenRepeated');
  const { check } = view;
  const phase = view.phase.id;
  let judged: Part;
  if (check.exitCode === undefined) {
    judged = part('failed', `${where(check)} did not finish (killed at its timeout)`, phase, RANK.positive);
  } else if (check.leftBehind.length > 0) {
    judged = part(
      'failed',
      `${where(check)} changed the sandbox the second time: ${listSome(check.leftBehind)}`,
      phase,
      RANK.positive,
    );
  } else if (check.exitCode === 0) {
    judged = part('passed', `${check.title}: exit 0, nothing changed`, phase, RANK.info);
  } else if (/already exist|exists already/i.test(output(check))) {
    // A considered "already exists" is idempotent enough; a raw `RTNETLINK answers: File exists` is not.
    judged = part(
      'passed',
      `${check.title}: refused with "${said(check, 80)}" and nothing changed`,
      phase,
      RANK.info,
    );
  } else {
    judged = part(
      'failed',
      `${where(check)} exited ${check.exitCode} without saying the VPC already exists: ${said(check) || 'no message'}`,
      phase,
      RANK.positive,
    );
  }
  return answer(this, 'toChangeNothingWhenRepeated', view.lab, [judged]);
}

/** Inspect: exit 0, nothing changed, and it names something of the lab (a namespace, address or CIDR). */
export function toDescribeTheLab(this: MatcherThis, received: unknown): MatcherResult {
  const view = checkOf(received, 'toDescribeTheLab');
  const { check, lab } = view;
  const phase = view.phase.id;
  const known = [
    ...(view.phase.evidence?.discovery ?? []).flatMap((d) =>
      [d.netns, d.address].filter((v): v is string => Boolean(v)),
    ),
    ...lab.plan.vpcs.flatMap((v) => [v.cidr, ...v.subnets.map((s) => s.cidr)]),
  ];
  const text = output(check);
  let judged: Part;
  if (check.exitCode !== 0) {
    judged = part(
      'failed',
      `${where(check)} ${check.exitCode === undefined ? 'did not finish' : `exited ${check.exitCode}`}: ${said(check) || 'no message'}`,
      phase,
      RANK.positive,
    );
  } else if (check.leftBehind.length > 0) {
    judged = part(
      'failed',
      `${where(check)} changed the sandbox (inspecting must not): ${listSome(check.leftBehind)}`,
      phase,
      RANK.positive,
    );
  } else {
    const mentioned = known.filter((k) => text.includes(k));
    judged =
      mentioned.length === 0
        ? part(
            'failed',
            `${where(check)} printed ${text === '' ? 'nothing' : 'nothing about the lab'}: no namespace, address or CIDR of it`,
            phase,
            RANK.positive,
          )
        : part(
            'passed',
            `${check.title}: exit 0, shows ${listSome([...new Set(mentioned)], 4)}, nothing changed`,
            phase,
            RANK.info,
          );
  }
  return answer(this, 'toDescribeTheLab', lab, [judged]);
}
