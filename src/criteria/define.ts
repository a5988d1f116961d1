import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExpectStatic } from 'vitest';
import type { CriterionId } from '../model/criteria.js';
import type { PhaseId } from '../model/evidence.js';
import { probeId } from '../plan/stage4/lab.js';
import {
  type PathDecl,
  PHASE_IDS,
  type ProbeDecl,
  STAGE_PHASES,
  type StageId,
} from '../plan/stage4/probe-specs.js';
import { LAB_STEPS, type LabStep } from '../plan/types.js';
import { didYouMean } from '../profiles/suggest.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import type { Part } from '../verdict/part.js';
import type { CriterionLab } from './lab.js';

/**
 * A criterion is one file, `scenarios/<id>.scenario.ts` (docs/architecture.md
 * "Criteria: one file each"): `export default defineCriterion({...})` holds
 * its id, title, whether it is advisory, its place in the canonical order, the
 * lab steps and phases it needs, the probes it needs, and its assertions.
 * Everything else (the criterion list, the plan's probe matrices, not-run
 * reasons, the README table) is derived from these files by the registry.
 */

export interface CriterionInput {
  /** Stable id: reports, JUnit testcase names and summary.json use exactly this; also the file's name. */
  id: CriterionId;
  /** What "passed" means, in one line: the README's "passes when" column. */
  title: string;
  /** Reported, never part of the Stage 4 verdict. */
  advisory: boolean;
  /** Place in the canonical order (Stage 4 criteria first, then advisory ones; each by this number). */
  order: number;
  /** Lab steps it needs: when the profile does not support one (`null`), the criterion is not-run, naming it. */
  needs: readonly LabStep[];
  /**
   * Steps that may do a needed step's work when the profile has none (null):
   * `{ teardownVpc: 'teardownAll' }` judges a tool with only a global clean-up,
   * when that step has commands. A criterion that needs the step itself (one VPC
   * torn down, the other alive) leaves this out and stays not-run.
   */
  standIns?: Readonly<Partial<Record<LabStep, LabStep>>>;
  /** The phases whose evidence decides it (the last one is where reports file it when nothing else says). */
  phases: readonly PhaseId[];
  /** The probes it needs, per stage, with their expectation and whether they are positive controls. */
  probes: readonly ProbeDecl[];
  /** Append "note: step X failed" when a step it needs failed (default true; false when its own checks fail on purpose). */
  noteFailedSteps?: boolean;
  /** The message when everything passed (default: the probe summary, then the other passed parts' messages). */
  summary?: (judged: readonly Part[], lab: CriterionLab) => string;
  /** The assertions: `expect.soft(...)` with the criterion matchers over what the lab recorded. */
  assert: (lab: CriterionLab, expect: ExpectStatic) => void;
}

const DEFINITION = Symbol.for('vpc-acceptance.criterion-definition');

export interface CriterionDefinition extends Readonly<Omit<CriterionInput, 'noteFailedSteps'>> {
  readonly noteFailedSteps: boolean;
  /** The file that defined it, relative to the package root. */
  readonly file: string;
  readonly [DEFINITION]: true;
}

export function isCriterionDefinition(value: unknown): value is CriterionDefinition {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION] === true
  );
}

export type CriterionErrorCode =
  | 'CRITERION_NOT_AN_OBJECT'
  | 'CRITERION_MISSING_FIELD'
  | 'CRITERION_UNKNOWN_FIELD'
  | 'CRITERION_BAD_FIELD'
  | 'CRITERION_UNKNOWN_STEP'
  | 'CRITERION_UNKNOWN_PHASE'
  | 'CRITERION_UNKNOWN_STAGE'
  | 'CRITERION_BAD_PROBE'
  | 'CRITERION_NO_DEFAULT_EXPORT'
  | 'CRITERION_FILE_MISMATCH'
  | 'CRITERION_DUPLICATE';

/** A criterion file that cannot be used: which file, which field, what is allowed. */
export class CriterionDefinitionError extends Error {
  override name = 'CriterionDefinitionError';
  constructor(
    readonly code: CriterionErrorCode,
    readonly file: string,
    readonly field: string | undefined,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

const FIELDS = {
  id: 'required',
  title: 'required',
  advisory: 'required',
  order: 'required',
  needs: 'required',
  phases: 'required',
  probes: 'required',
  assert: 'required',
  noteFailedSteps: 'optional',
  summary: 'optional',
  standIns: 'optional',
} as const satisfies Record<keyof CriterionInput, 'required' | 'optional'>;

const KINDS = ['icmp', 'tcp', 'http'] as const;
const EXPECTATIONS = ['allowed', 'blocked'] as const;

function suggestion(word: string, candidates: readonly string[]): string {
  const close = didYouMean(word, candidates);
  return close ? `; did you mean "${close}"?` : '';
}

function allowed(candidates: readonly string[]): string {
  return `; allowed: ${candidates.join(', ')}`;
}

/** The file that called defineCriterion, from the stack (relative to the package root). */
function callerFile(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    const match = /((?:file:\/\/)?\/[^\s()]+?):\d+(?::\d+)?\)?$/.exec(frame.trim());
    const path = match?.[1];
    if (!path || /\/src\/criteria\/define\.[jt]s$/.test(path) || path.includes('/node_modules/')) continue;
    const absolute = path.startsWith('file://') ? fileURLToPath(path) : path;
    return relative(PACKAGE_ROOT, absolute) || absolute;
  }
  return '<unknown file>';
}

class Checker {
  constructor(
    readonly file: string,
    readonly id: string,
  ) {}

  fail(code: CriterionErrorCode, field: string | undefined, message: string): never {
    throw new CriterionDefinitionError(code, this.file, field, `criterion ${this.id}: ${message}`);
  }

  list(input: Record<string, unknown>, field: string, nonEmpty: boolean): unknown[] {
    const value = input[field];
    if (!Array.isArray(value)) this.fail('CRITERION_BAD_FIELD', field, `"${field}" must be a list`);
    if (nonEmpty && value.length === 0)
      this.fail('CRITERION_BAD_FIELD', field, `"${field}" must not be empty`);
    return value;
  }

  names<T extends string>(
    input: Record<string, unknown>,
    field: string,
    known: readonly T[],
    what: string,
  ): T[] {
    const code = what === 'lab step' ? 'CRITERION_UNKNOWN_STEP' : 'CRITERION_UNKNOWN_PHASE';
    const values = this.list(input, field, true);
    values.forEach((value, index) => {
      if (typeof value !== 'string' || !(known as readonly string[]).includes(value)) {
        this.fail(
          code,
          `${field}[${index}]`,
          `${field}[${index}] ${JSON.stringify(value)} is not a ${what}${allowed(known)}${typeof value === 'string' ? suggestion(value, known) : ''}`,
        );
      }
    });
    const repeated = values.find((value, index) => values.indexOf(value) !== index);
    if (repeated !== undefined) this.fail('CRITERION_BAD_FIELD', field, `${field} names "${repeated}" twice`);
    return values as T[];
  }

  probe(value: unknown, index: number | string, phases: readonly PhaseId[]): ProbeDecl {
    const where = typeof index === 'number' ? `probes[${index}]` : index;
    if (typeof value !== 'object' || value === null) {
      this.fail(
        'CRITERION_BAD_PROBE',
        where,
        `${where} is not a probe (build probes with src/plan/stage4/probe-specs.ts)`,
      );
    }
    const p = value as Partial<ProbeDecl>;
    const stages = Object.keys(STAGE_PHASES);
    if (typeof p.stage !== 'string' || !stages.includes(p.stage)) {
      this.fail(
        'CRITERION_UNKNOWN_STAGE',
        `${where}.stage`,
        `${where}.stage ${JSON.stringify(p.stage)} is not a stage of the plan${allowed(stages)}${typeof p.stage === 'string' ? suggestion(p.stage, stages) : ''}`,
      );
    }
    if (!KINDS.includes(p.kind as never)) {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.kind`,
        `${where}.kind ${JSON.stringify(p.kind)} is not a probe kind${allowed(KINDS)}`,
      );
    }
    if (!EXPECTATIONS.includes(p.expected as never)) {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.expected`,
        `${where}.expected ${JSON.stringify(p.expected)} is not an expectation${allowed(EXPECTATIONS)}`,
      );
    }
    if (typeof p.from !== 'string' || typeof p.to !== 'string' || typeof p.control !== 'boolean') {
      this.fail(
        'CRITERION_BAD_PROBE',
        where,
        `${where} needs "from" and "to" (subnet keys) and "control" (true or false)`,
      );
    }
    const stage = p.stage as StageId;
    const id = probeId(stage, p.kind as ProbeDecl['kind'], p.from, p.to, p.port);
    if (p.id !== id) {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.id`,
        `${where}.id ${JSON.stringify(p.id)} should be "${id}" (stage:kind:from->to[:port])`,
      );
    }
    if (p.control && p.expected !== 'allowed') {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.control`,
        `${where} (${id}) is a positive control, so it must be expected to connect`,
      );
    }
    if (p.once !== undefined && (p.once !== true || p.expected !== 'allowed' || p.control)) {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.once`,
        `${where} (${id}) is tried once: only a must-connect probe that is no positive control can be (once: true)`,
      );
    }
    if (p.path !== undefined) this.path(p.path, `${where}.path`, p as ProbeDecl, phases);
    const phase = STAGE_PHASES[stage];
    if (!phases.includes(phase)) {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.stage`,
        `${where} (${id}) runs in stage ${stage} of phase ${phase}, which is not among its phases (${phases.join(', ')}): it would never be judged`,
      );
    }
    return p as ProbeDecl;
  }

  /** A must-be-blocked probe's path controls: must-connect probes of its own stage, with what failing means. */
  path(value: unknown, where: string, guarded: ProbeDecl, phases: readonly PhaseId[]): void {
    const path = value as Partial<PathDecl> | null;
    if (guarded.expected !== 'blocked') {
      this.fail('CRITERION_BAD_PROBE', where, `${where}: only a must-be-blocked probe has path controls`);
    }
    if (typeof path?.unproven !== 'string' || path.unproven.trim() === '') {
      this.fail(
        'CRITERION_BAD_PROBE',
        `${where}.unproven`,
        `${where}.unproven must say what it means when no path control connects (e.g. "nothing in vpc1 reaches the internet host")`,
      );
    }
    if (!Array.isArray(path.controls) || path.controls.length === 0) {
      this.fail('CRITERION_BAD_PROBE', `${where}.controls`, `${where}.controls must list at least one probe`);
    }
    path.controls.forEach((raw, i) => {
      const control = this.probe(raw, `${where}.controls[${i}]`, phases);
      if (control.stage !== guarded.stage || control.expected !== 'allowed' || control.path) {
        this.fail(
          'CRITERION_BAD_PROBE',
          `${where}.controls[${i}]`,
          `${where}.controls[${i}] (${control.id}) must be a must-connect probe of stage ${guarded.stage}, like the probe it guards`,
        );
      }
    });
  }
}

/** Check a criterion's input and return its definition; throws CriterionDefinitionError with a stable code. */
export function validateCriterion(input: unknown, file: string): CriterionDefinition {
  const early = new Checker(file, '?');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    early.fail('CRITERION_NOT_AN_OBJECT', undefined, 'defineCriterion needs an object ({ id, title, ... })');
  }
  const record = input as Record<string, unknown>;
  const known = Object.keys(FIELDS);
  const rawId = record.id;
  const check = new Checker(file, typeof rawId === 'string' && rawId !== '' ? rawId : '?');
  for (const field of Object.keys(record)) {
    if (!known.includes(field)) {
      check.fail(
        'CRITERION_UNKNOWN_FIELD',
        field,
        `unknown field "${field}"${allowed(known)}${suggestion(field, known)}`,
      );
    }
  }
  for (const [field, need] of Object.entries(FIELDS)) {
    if (need === 'required' && record[field] === undefined) {
      check.fail(
        'CRITERION_MISSING_FIELD',
        field,
        `the field "${field}" is missing (required: ${known.filter((k) => FIELDS[k as keyof typeof FIELDS] === 'required').join(', ')})`,
      );
    }
  }
  if (typeof rawId !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(rawId)) {
    check.fail(
      'CRITERION_BAD_FIELD',
      'id',
      `"id" must be a kebab-case name such as "nat-public-egress", not ${JSON.stringify(rawId)}`,
    );
  }
  if (
    typeof record.title !== 'string' ||
    record.title.trim() === '' ||
    record.title.includes('\n') ||
    record.title.includes('|')
  ) {
    check.fail(
      'CRITERION_BAD_FIELD',
      'title',
      '"title" must be one line of text without "|" (it is the README\'s "passes when" cell)',
    );
  }
  if (typeof record.advisory !== 'boolean')
    check.fail('CRITERION_BAD_FIELD', 'advisory', '"advisory" must be true or false');
  if (!Number.isInteger(record.order) || (record.order as number) < 1) {
    check.fail(
      'CRITERION_BAD_FIELD',
      'order',
      '"order" must be a whole number from 1 (its place in the canonical order)',
    );
  }
  if (typeof record.assert !== 'function')
    check.fail('CRITERION_BAD_FIELD', 'assert', '"assert" must be a function (lab, expect) => void');
  if (record.summary !== undefined && typeof record.summary !== 'function') {
    check.fail('CRITERION_BAD_FIELD', 'summary', '"summary" must be a function (judged, lab) => string');
  }
  if (record.noteFailedSteps !== undefined && typeof record.noteFailedSteps !== 'boolean') {
    check.fail('CRITERION_BAD_FIELD', 'noteFailedSteps', '"noteFailedSteps" must be true or false');
  }
  const needs = check.names(record, 'needs', LAB_STEPS, 'lab step');
  if (record.standIns !== undefined) {
    const standIns = record.standIns;
    if (typeof standIns !== 'object' || standIns === null || Array.isArray(standIns)) {
      check.fail(
        'CRITERION_BAD_FIELD',
        'standIns',
        '"standIns" must map a needed step to the step that may do its work',
      );
    } else {
      for (const [step, by] of Object.entries(standIns)) {
        if (!(needs as readonly string[]).includes(step))
          check.fail('CRITERION_BAD_FIELD', 'standIns', `"${step}" is not in "needs"${allowed(needs)}`);
        if (typeof by !== 'string' || !(LAB_STEPS as readonly string[]).includes(by))
          check.fail(
            'CRITERION_UNKNOWN_STEP',
            'standIns',
            `unknown lab step "${String(by)}" for ${step}${suggestion(String(by), LAB_STEPS)}${allowed(LAB_STEPS)}`,
          );
      }
    }
  }
  const phases = check.names(record, 'phases', PHASE_IDS, 'phase');
  const probes = check.list(record, 'probes', false).map((p, index) => check.probe(p, index, phases));
  const ids = probes.map((p) => p.id);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice) check.fail('CRITERION_BAD_PROBE', 'probes', `the probe ${twice} is listed twice`);
  return Object.freeze({
    ...(record as unknown as CriterionInput),
    needs,
    phases,
    probes,
    noteFailedSteps: record.noteFailedSteps !== false,
    file,
    [DEFINITION]: true as const,
  });
}

/** The hook a scenario run installs (src/criteria/scenario-setup.ts): it turns a definition into a vitest test. */
export const SCENARIO_RUN = Symbol.for('vpc-acceptance.scenario-run');
export interface ScenarioRun {
  register(definition: CriterionDefinition): void;
}

/**
 * Define a criterion (the default export of its scenario file). Importing the
 * file anywhere (registry, lab runner, reports, unit tests) only returns the
 * definition; inside a scenario run it also registers the criterion's test.
 */
export function defineCriterion(input: CriterionInput): CriterionDefinition {
  const definition = validateCriterion(input, callerFile());
  const run = (globalThis as { [SCENARIO_RUN]?: ScenarioRun })[SCENARIO_RUN];
  run?.register(definition);
  return definition;
}
