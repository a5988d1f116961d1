import type { ExpectStatic } from 'vitest';
import type { CriterionResult, StepResult } from '../model/summary.js';
import { type Context, isUnsupported } from '../verdict/context.js';
import { lastLine, oneLine } from '../verdict/describe.js';
import { combine, type Part } from '../verdict/part.js';
import { probeSummary } from '../verdict/probes.js';
import type { CriterionDefinition } from './define.js';
import { CriterionLab } from './lab.js';
import { CannotJudge } from './test-result.js';

/**
 * The body of a criterion's test (docs/architecture.md "Criteria: one file
 * each"): the same in a scenario run (scenario-setup.ts) and in unit tests
 * (test/support/criteria.ts), which hand in their test's expect, skip and meta.
 */
export interface TestSeam {
  expect: ExpectStatic;
  /** Ends the test as skipped (vitest's context.skip): the criterion is not-run. */
  skip(note: string): never;
  /** The test's meta: the reporter reads the criterion's message, phase and probes from it. */
  meta: { criterion?: CriterionResult };
}

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
function stepNotes(ctx: Context, definition: CriterionDefinition): string[] {
  if (!definition.noteFailedSteps) return [];
  const needed: readonly string[] = definition.needs;
  return ctx.evidence.phases
    .filter((p) => definition.phases.includes(p.phase))
    .flatMap((p) => p.steps)
    .filter(
      (s) =>
        needed.includes(s.step) &&
        (s.status === 'failed' || s.status === 'timeout' || s.status === 'skipped'),
    )
    .map(describeStep);
}

/** The default passed message: the probe summary, then what the other passed parts said. */
export function defaultSummary(judged: readonly Part[]): string {
  return [
    probeSummary(judged.flatMap((p) => p.probes)),
    ...judged.filter((p) => p.probes.length === 0).map((p) => p.message),
  ]
    .filter(Boolean)
    .join('; ');
}

/** The stand-in step ran commands somewhere (an optional step with none is never recorded). */
function ranStandIn(ctx: Context, step: string | undefined): boolean {
  if (!step) return false;
  return ctx.evidence.phases.some((p) => p.steps.some((s) => s.step === step && s.commands.length > 0));
}

/** Why a criterion is not judged at all (the harness broke, or a step it needs is unsupported). */
function precondition(ctx: Context, definition: CriterionDefinition): CriterionResult | undefined {
  const base = {
    id: definition.id,
    advisory: definition.advisory,
    phase: definition.phases.at(-1) ?? 'run',
    probes: [],
  };
  if (ctx.evidence.harnessError) {
    return {
      ...base,
      status: 'error',
      message: `not judged: the harness itself failed: ${oneLine(ctx.evidence.harnessError, 200)}`,
    };
  }
  const unsupported = definition.needs.filter(
    (step) => isUnsupported(ctx, step) && !ranStandIn(ctx, definition.standIns?.[step]),
  );
  if (unsupported.length > 0) {
    return {
      ...base,
      status: 'not-run',
      message: `needs step ${unsupported.join(', ')}, which the profile does not support (null): ${definition.id} cannot be tested without it`,
    };
  }
  return undefined;
}

/** The criterion's result from what its assertions judged (status, most telling message, phase, probes). */
function resultOf(ctx: Context, definition: CriterionDefinition, lab: CriterionLab): CriterionResult {
  const home = definition.phases.at(-1) ?? 'run';
  const combined = combine(lab.judged, '', home);
  const message =
    combined.status === 'passed' ? (definition.summary ?? defaultSummary)(lab.judged, lab) : combined.message;
  const notes = combined.status === 'not-run' ? [] : stepNotes(ctx, definition);
  const suffix =
    notes.length === 0
      ? ''
      : combined.status === 'passed'
        ? `; note: passed although ${notes.join('; ')}`
        : `; note: ${notes.join('; ')}`;
  return {
    id: definition.id,
    status: combined.status,
    message: `${message}${suffix}`,
    advisory: definition.advisory,
    phase: combined.phase,
    probes: combined.probes,
  };
}

/**
 * Run one criterion's assertions over the lab's evidence. Failures are
 * recorded by the matchers (expect.soft: every one counts); at the end the
 * test is skipped when all it could say is not-run, and errors when nothing
 * was judged. The vitest result is the verdict (test-result.ts).
 */
export function runCriterion(definition: CriterionDefinition, ctx: Context, seam: TestSeam): void {
  const early = precondition(ctx, definition);
  if (early) {
    seam.meta.criterion = early;
    if (early.status === 'not-run') seam.skip(early.message);
    throw new CannotJudge(early.message);
  }
  const lab = new CriterionLab(ctx, definition);
  definition.assert(lab, seam.expect);
  const result = resultOf(ctx, definition, lab);
  seam.meta.criterion = result;
  if (lab.judged.length === 0) throw new CannotJudge(result.message);
  if (result.status === 'not-run') seam.skip(result.message);
}
