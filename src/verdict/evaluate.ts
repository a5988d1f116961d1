import { ALL_CRITERIA, type CriterionId, isAdvisory } from '../model/criteria.js';
import type { LabEvidence } from '../model/evidence.js';
import type { CriterionResult, StepResult } from '../model/summary.js';
import { CRITERION_PHASES, STAGE4_PLAN, stepsForCriterion } from '../plan/stage4.js';
import type { LabPlan } from '../plan/types.js';
import { judgeIdempotentCreate, judgeInspectWorks, judgeRejectsBadInput } from './checks.js';
import { type Context, isPart, isUnsupported, phaseEvidence, reached } from './context.js';
import { lastLine, listSome, oneLine } from './describe.js';
import { combine, type Part, part, RANK } from './part.js';
import { judgeProbesIn, probeSummary } from './probes.js';
import { judgeTeardownClean } from './teardown.js';

export interface EvaluateOptions {
  plan?: LabPlan;
}

type Judge = (ctx: Context, id: CriterionId) => { parts: Part[]; passed: (parts: Part[]) => string };

function byProbes(extra?: (ctx: Context, parts: Part[]) => Part[]): Judge {
  return (ctx, id) => {
    const parts = CRITERION_PHASES[id].flatMap((phase) => judgeProbesIn(ctx, id, phase));
    const extras = extra ? extra(ctx, parts) : [];
    return {
      parts: [...parts, ...extras],
      passed: (ps) =>
        [
          probeSummary(ps.flatMap((p) => p.probes)),
          ...extras.filter((e) => e.status === 'passed').map((e) => e.message),
        ]
          .filter(Boolean)
          .join('; '),
    };
  };
}

/** vpc-created: every subnet found, with a default route whose gateway answers. */
const vpcCreated: Judge = (ctx) => {
  const parts: Part[] = [];
  const seen = new Set<string>();
  const found: string[] = [];
  for (const phaseId of CRITERION_PHASES['vpc-created']) {
    const stageKeys = ctx.plan.phases
      .find((p) => p.id === phaseId)
      ?.stages.flatMap((s) => s.expectSubnets)
      .filter((k) => !seen.has(k));
    const keys = [...new Set(stageKeys ?? [])];
    for (const k of keys) seen.add(k);
    if (keys.length === 0) continue;
    const phase = reached(ctx, phaseId);
    if (isPart(phase)) {
      parts.push(phase);
      continue;
    }
    for (const key of keys) {
      const d = phase.discovery.find((x) => x.key === key);
      if (!d) {
        parts.push(part('error', `the harness recorded no discovery of ${key}`, phaseId, RANK.missing));
      } else if (!d.netns || !d.address) {
        parts.push(
          part(
            'failed',
            `subnet ${key} (${d.cidr}) was not found: ${d.problem ?? 'no namespace'}`,
            phaseId,
            RANK.missing,
          ),
        );
      } else if (!d.gateway) {
        parts.push(
          part(
            'failed',
            `subnet ${key} in ${d.netns}: ${d.problem ?? 'no default route with a gateway'}`,
            phaseId,
            RANK.positive,
          ),
        );
      } else if (!d.gatewayAnswers) {
        parts.push(
          part(
            'failed',
            `subnet ${key} in ${d.netns}: ${d.problem ?? `gateway ${d.gateway} does not answer a ping`}`,
            phaseId,
            RANK.positive,
          ),
        );
      } else {
        found.push(`${key} in ${d.netns} (${d.address} via ${d.gateway})`);
        parts.push(part('passed', key, phaseId, RANK.info));
      }
    }
  }
  return { parts, passed: () => `${found.length} subnets found: ${found.join(', ')}` };
};

/** nat-public-egress also needs the internet host to have seen the uplink address. */
const natPublicEgress: Judge = byProbes((ctx, parts) => {
  if (parts.some((p) => p.status !== 'passed')) return [];
  const phase = phaseEvidence(ctx, 'vpc1');
  if (!phase) return [];
  const wan = ctx.plan.wan.address;
  const sources = new Set([
    ...phase.internetSources,
    ...phase.probes
      .filter((p) => p.to.label === ctx.plan.internet.label && p.seenSource)
      .map((p) => p.seenSource as string),
  ]);
  if (sources.has(wan)) return [part('passed', `the internet host saw ${wan}`, 'vpc1', RANK.info)];
  if (sources.size === 0) {
    return [
      part(
        'error',
        'the internet host recorded no source address although HTTP reached it',
        'vpc1',
        RANK.missing,
      ),
    ];
  }
  return [
    part(
      'failed',
      `the internet host saw ${listSome([...sources])}, not the uplink address ${wan}: the traffic was not masqueraded`,
      'vpc1',
      RANK.positive,
    ),
  ];
});

/** source-preserved: inside each VPC, and across peering when the target peers. */
const sourcePreserved: Judge = (ctx, id) => {
  const phases = CRITERION_PHASES[id].filter((phase) => phase !== 'peering' || peeringJudgeable(ctx));
  const parts = phases.flatMap((phase) => judgeProbesIn(ctx, id, phase));
  const skipped = phases.length < CRITERION_PHASES[id].length;
  return {
    parts,
    passed: (ps) => {
      const tcp = ps.flatMap((p) => p.probes).filter((p) => p.kind === 'tcp');
      return `every listener saw the sender's own address (${tcp.length} TCP probes)${skipped ? '; across peering not checked (the target does not peer)' : ''}`;
    },
  };
};

function peeringJudgeable(ctx: Context): boolean {
  return !isUnsupported(ctx, 'peerVpcs');
}

const JUDGES: Record<CriterionId, Judge> = {
  'vpc-created': vpcCreated,
  'intra-vpc-routing': byProbes(),
  'app-deployed': byProbes(),
  'nat-public-egress': natPublicEgress,
  'nat-private-blocked': byProbes(),
  'isolation-default': byProbes(),
  'peering-public': byProbes(),
  'peering-private-blocked': byProbes(),
  'policy-allowed': byProbes(),
  'policy-denied': byProbes(),
  'teardown-clean': (ctx) => ({ parts: judgeTeardownClean(ctx), passed: (ps) => ps[0]?.message ?? '' }),
  'rejects-bad-input': (ctx) => ({
    parts: judgeRejectsBadInput(ctx),
    passed: (ps) =>
      `every bad input was rejected with a message and left nothing behind (${ps.length} checks)`,
  }),
  'idempotent-create': (ctx) => ({
    parts: judgeIdempotentCreate(ctx),
    passed: (ps) => ps.map((p) => p.message).join('; '),
  }),
  'source-preserved': sourcePreserved,
  'inspect-works': (ctx) => ({
    parts: judgeInspectWorks(ctx),
    passed: (ps) => ps.map((p) => p.message).join('; '),
  }),
  'teardown-independent': byProbes(),
};

/** Criteria judged from command checks: their own steps fail on purpose, so step failures are no news. */
const CHECK_CRITERIA: readonly CriterionId[] = ['rejects-bad-input', 'idempotent-create', 'inspect-works'];

function describeStep(step: StepResult): string {
  if (step.status === 'timeout') return `step ${step.step} timed out`;
  if (step.status === 'skipped')
    return `step ${step.step} was skipped${step.message ? ` (${oneLine(step.message)})` : ''}`;
  const failing = step.commands.find((c) => c.exitCode !== 0) ?? step.commands.at(-1);
  const how =
    failing?.exitCode !== undefined
      ? `exit ${failing.exitCode}`
      : failing?.signal
        ? `killed by ${failing.signal}`
        : 'exit ?';
  const why = failing
    ? `${how}${lastLine(failing.stderr) ? `: ${lastLine(failing.stderr, 100)}` : ''}`
    : oneLine(step.message ?? '');
  return `step ${step.step} failed${why ? ` (${why})` : ''}`;
}

/** Failed steps the criterion needs, in its phases. */
function stepNotes(ctx: Context, id: CriterionId): string[] {
  if (CHECK_CRITERIA.includes(id)) return [];
  const needed = stepsForCriterion(id);
  const phases = CRITERION_PHASES[id];
  return ctx.evidence.phases
    .filter((p) => phases.includes(p.phase))
    .flatMap((p) => p.steps)
    .filter(
      (s) =>
        (needed as readonly string[]).includes(s.step) &&
        (s.status === 'failed' || s.status === 'timeout' || s.status === 'skipped'),
    )
    .map(describeStep);
}

function evaluateOne(id: CriterionId, ctx: Context): CriterionResult {
  const advisory = isAdvisory(id);
  const home = CRITERION_PHASES[id].at(-1) ?? 'run';
  const result = (status: CriterionResult['status'], message: string, phase: string = home, probes = []) => ({
    id,
    status,
    message,
    advisory,
    phase,
    probes,
  });
  if (ctx.evidence.harnessError) {
    return result(
      'error',
      `not judged: the harness itself failed: ${oneLine(ctx.evidence.harnessError, 200)}`,
    );
  }
  const unsupported = stepsForCriterion(id).filter((step) => isUnsupported(ctx, step));
  if (unsupported.length > 0) {
    const names = unsupported.join(', ');
    return result(
      'not-run',
      `needs step ${names}, which the profile does not support (null): ${id} cannot be tested without it`,
    );
  }
  const judge = JUDGES[id](ctx, id);
  const combined = combine(judge.parts, '', home);
  const message = combined.status === 'passed' ? judge.passed(judge.parts) : combined.message;
  const notes = combined.status === 'not-run' ? [] : stepNotes(ctx, id);
  const suffix =
    notes.length === 0
      ? ''
      : combined.status === 'passed'
        ? `; note: passed although ${notes.join('; ')}`
        : `; note: ${notes.join('; ')}`;
  return {
    id,
    status: combined.status,
    message: `${message}${suffix}`,
    advisory,
    phase: combined.phase,
    probes: combined.probes,
  };
}

/** Every criterion (Stage 4 and advisory), judged from the lab's evidence. */
export function evaluate(evidence: LabEvidence, options: EvaluateOptions = {}): CriterionResult[] {
  const ctx: Context = { plan: options.plan ?? STAGE4_PLAN, evidence };
  return ALL_CRITERIA.map((id) => evaluateOne(id, ctx));
}
