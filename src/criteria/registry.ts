import { basename, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CriterionId } from '../model/criteria.js';
import type { PhaseId, ProbeSpec } from '../model/evidence.js';
import { type ProbeDecl, STAGE_PHASES } from '../plan/stage4/probe-specs.js';
import type { LabStep } from '../plan/types.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import {
  type CriterionDefinition,
  CriterionDefinitionError,
  isCriterionDefinition,
  SCENARIO_RUN,
} from './define.js';
import { SCENARIO_SUFFIX, scenarioFiles } from './files.js';

/**
 * The criteria, loaded from their files (docs/architecture.md "Criteria: one
 * file each"): scenarios/*.scenario.ts from source, dist/scenarios/*.scenario.js
 * when running compiled. Everything that lists criteria, probes per stage or
 * the steps a criterion needs reads it from here.
 */

/** The definition a criterion file exports, checked against the file's name. */
export function definitionOf(module: { default?: unknown }, path: string): CriterionDefinition {
  const file = relative(PACKAGE_ROOT, path);
  if (!isCriterionDefinition(module.default)) {
    throw new CriterionDefinitionError(
      'CRITERION_NO_DEFAULT_EXPORT',
      file,
      undefined,
      'a criterion file must `export default defineCriterion({...})`',
    );
  }
  const definition = module.default;
  if (basename(path) !== `${definition.id}${SCENARIO_SUFFIX}`) {
    throw new CriterionDefinitionError(
      'CRITERION_FILE_MISMATCH',
      file,
      'id',
      `criterion ${definition.id} must live in scenarios/${definition.id}.scenario.ts (the file is named after its id)`,
    );
  }
  return definition;
}

async function load(): Promise<CriterionDefinition[]> {
  if ((globalThis as Record<symbol, unknown>)[SCENARIO_RUN]) {
    // Loading every file inside a scenario run would register every test twice.
    throw new Error('the criteria registry must not be imported inside a scenario run');
  }
  const files = scenarioFiles();
  const modules = await Promise.all(files.map((path) => import(pathToFileURL(path).href)));
  return canonical(modules.map((module, index) => definitionOf(module, files[index] as string)));
}

/** Stage 4 criteria first, then advisory ones, each by `order`; ids and orders must be unique. */
export function canonical(definitions: readonly CriterionDefinition[]): CriterionDefinition[] {
  for (const [i, a] of definitions.entries()) {
    for (const b of definitions.slice(i + 1)) {
      if (a.id === b.id || a.order === b.order) {
        const what = a.id === b.id ? `the id ${a.id}` : `order ${a.order} (${a.id} and ${b.id})`;
        throw new CriterionDefinitionError(
          'CRITERION_DUPLICATE',
          b.file,
          a.id === b.id ? 'id' : 'order',
          `${a.file} already uses ${what}: each criterion needs its own`,
        );
      }
    }
  }
  return [...definitions].sort((a, b) => Number(a.advisory) - Number(b.advisory) || a.order - b.order);
}

/** Every criterion, in the canonical order (reports, JUnit and summary.json list them so). */
export const CRITERIA: readonly CriterionDefinition[] = await load();

const BY_ID = new Map(CRITERIA.map((c) => [c.id as string, c]));

export function criterionById(id: string): CriterionDefinition | undefined {
  return BY_ID.get(id);
}

/**
 * Each stage's probe matrix: the union of the criteria's probes for it, each
 * probe once, tagged with every criterion that declared it (canonical order),
 * a positive control when any declares it so; a must-be-blocked probe's path
 * controls are probes of the stage too (untagged unless a criterion declares
 * them itself). Controls come first (the runner settles the network with
 * them), then the rest, each in the order the criteria declare them.
 */
export function stageProbes(
  criteria: readonly CriterionDefinition[] = CRITERIA,
): Record<string, ProbeSpec[]> {
  const out: Record<string, ProbeSpec[]> = {};
  for (const stage of Object.keys(STAGE_PHASES)) {
    const merged = new Map<string, ProbeSpec>();
    for (const criterion of criteria) {
      for (const { stage: at, path, ...decl } of criterion.probes) {
        if (at !== stage) continue;
        // A path control is a probe of the stage, evidence only through the probe it guards.
        for (const control of path?.controls ?? []) {
          if (!merged.has(control.id)) merged.set(control.id, untagged(control));
        }
        const seen = merged.get(decl.id);
        const spec: ProbeSpec = {
          ...decl,
          ...(path ? { path: { unproven: path.unproven, controls: path.controls.map((c) => c.id) } } : {}),
          criteria: [criterion.id],
        };
        if (!seen) {
          merged.set(decl.id, spec);
          continue;
        }
        if (seen.kind !== decl.kind || seen.expected !== decl.expected || seen.port !== decl.port) {
          throw new CriterionDefinitionError(
            'CRITERION_BAD_PROBE',
            criterion.file,
            'probes',
            `criterion ${criterion.id}: probe ${decl.id} expects ${decl.expected}, but ${seen.criteria.join(', ') || 'a path control of another probe'} expect ${seen.expected}`,
          );
        }
        seen.control ||= decl.control;
        seen.path ??= spec.path;
        // Tried once only when every criterion that needs it says so.
        if (seen.once && !decl.once) delete seen.once;
        if (!seen.criteria.includes(criterion.id)) seen.criteria.push(criterion.id);
      }
    }
    const specs = [...merged.values()];
    out[stage] = [...specs.filter((s) => s.control), ...specs.filter((s) => !s.control)];
  }
  return out;
}

/** A path control's spec before any criterion tags it. */
function untagged({ stage: _stage, path: _path, ...decl }: ProbeDecl): ProbeSpec {
  return { ...decl, criteria: [] };
}

/** The steps each criterion needs (not-run, naming the step, when the profile does not support one). */
export const CRITERION_STEPS = Object.fromEntries(CRITERIA.map((c) => [c.id, c.needs])) as Record<
  CriterionId,
  readonly LabStep[]
>;

/** The phases whose evidence decides each criterion. */
export const CRITERION_PHASES = Object.fromEntries(CRITERIA.map((c) => [c.id, c.phases])) as Record<
  CriterionId,
  readonly PhaseId[]
>;
