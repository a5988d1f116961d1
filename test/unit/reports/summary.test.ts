import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CRITERIA } from '../../../src/criteria/ids.js';
import type { ProbeResult } from '../../../src/model/probe.js';
import type {
  CriterionResult,
  PhaseRecord,
  StepResult,
  Summary,
  Topology,
} from '../../../src/model/summary.js';
import { summarySchema, validateSummary, writeSummary } from '../../../src/reports/summary.js';
import { isVpcError } from '../../../src/util/errors.js';
import { clone, failingRun, passingRun } from './fixtures.js';

function errorsOf(json: unknown): string[] {
  const result = validateSummary(json);
  return result.ok ? [] : result.errors;
}

describe('summary.json schema', () => {
  it('accepts the passing and the failing fixture', () => {
    expect(errorsOf(clone(passingRun().summary))).toEqual([]);
    expect(errorsOf(clone(failingRun().summary))).toEqual([]);
  });

  it('rejects a bad status, a missing field and an unknown field, naming each JSON path', () => {
    const json = clone(passingRun().summary) as unknown as Record<string, unknown>;
    const criteria = json.criteria as Record<string, unknown>[];
    (criteria[3] as Record<string, unknown>).status = 'green';
    delete json.environment;
    json.colour = 'blue';
    const errors = errorsOf(json);
    expect(errors).toContain('/criteria/3/status: must be one of "passed", "failed", "error", "not-run"');
    expect(errors).toContain('/environment: is required');
    expect(errors).toContain('/colour: is not a known property');
  });

  it('rejects unknown criterion ids, a bad timestamp and an out-of-range port in a probe', () => {
    const summary = clone(failingRun().summary);
    const json = summary as unknown as { criteria: { id: string; probes: Record<string, unknown>[] }[] };
    const index = json.criteria.findIndex((c) => c.probes.length > 0);
    const criterion = json.criteria[index] as { id: string; probes: Record<string, unknown>[] };
    criterion.id = 'vpc-made';
    (criterion.probes[0] as Record<string, unknown>).startedAt = 'yesterday';
    (criterion.probes[0] as Record<string, unknown>).port = 70000;
    const errors = errorsOf(json);
    expect(errors).toContain(`/criteria/${index}/probes/0/startedAt: must match format "date-time"`);
    expect(errors).toContain(`/criteria/${index}/probes/0/port: must be <= 65535`);

    // The schema leaves ids to the criterion files: an id that names none is refused by the validator.
    const unknownOnly = clone(failingRun().summary) as unknown as { criteria: { id: string }[] };
    (unknownOnly.criteria[index] as { id: string }).id = 'vpc-made';
    expect(errorsOf(unknownOnly)).toContain(
      `/criteria/${index}/id: "vpc-made" is not a criterion (no scenarios/vpc-made.scenario.ts)`,
    );
  });

  it('rejects a green verdict the criteria do not support, a deadline run marked pass, duplicates and a wrong advisory flag', () => {
    const failing = clone(failingRun().summary);
    failing.verdict = 'pass';
    expect(errorsOf(failing)).toEqual([
      '/verdict: must be "fail" because not every Stage 4 criterion is present and passed',
    ]);

    const deadline = clone(passingRun().summary);
    deadline.deadlineHit = true;
    expect(errorsOf(deadline)).toEqual(['/verdict: must be "fail" because the run hit its deadline']);

    const missing = clone(passingRun().summary);
    missing.criteria = missing.criteria.filter((c) => c.id !== 'teardown-clean');
    expect(errorsOf(missing)).toEqual([
      '/verdict: must be "fail" because not every Stage 4 criterion is present and passed',
    ]);

    const dup = clone(passingRun().summary);
    const first = dup.criteria[0] as CriterionResult;
    dup.criteria.push({ ...first });
    first.advisory = !first.advisory;
    expect(errorsOf(dup)).toEqual([
      `/criteria/0/advisory: must be ${!first.advisory} for "${first.id}"`,
      `/criteria/${dup.criteria.length - 1}/id: duplicate criterion "${first.id}" (first at /criteria/0)`,
    ]);

    const wronglyRed = clone(passingRun().summary);
    wronglyRed.verdict = 'fail';
    expect(errorsOf(wronglyRed)).toEqual([
      '/verdict: must be "pass" because every Stage 4 criterion passed and the deadline was not hit',
    ]);
  });

  it('writeSummary writes pretty JSON that reads back equal, and refuses an invalid summary with E_SCHEMA', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-'));
    const { summary } = passingRun();
    const path = writeSummary(dir, summary);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('{\n  "schemaVersion": 1,\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(clone(summary));

    const broken = clone(summary) as Summary & { criteria: { status: string }[] };
    (broken.criteria[0] as { status: string }).status = 'maybe';
    const otherDir = mkdtempSync(join(tmpdir(), 'summary-'));
    let thrown: unknown;
    try {
      writeSummary(otherDir, broken);
    } catch (error) {
      thrown = error;
    }
    expect(isVpcError(thrown) && thrown.code).toBe('E_SCHEMA');
    expect((thrown as Error).message).toContain('/criteria/0/status');
    expect(() => readFileSync(join(otherDir, 'summary.json'))).toThrow();
  });

  it('keeps the schema in step with the TypeScript types', () => {
    // Adding a field to a type without adding it to the schema fails to compile here.
    const summaryKeys = {
      schemaVersion: true,
      runId: true,
      target: true,
      profile: true,
      startedAt: true,
      durationMs: true,
      verdict: true,
      deadlineHit: true,
      criteria: true,
      findings: true,
      phases: true,
      environment: true,
      reportsDir: true,
      topology: true,
      timings: true,
    } satisfies Record<keyof Summary, true>;
    const criterionKeys = {
      id: true,
      status: true,
      message: true,
      advisory: true,
      phase: true,
      probes: true,
    } satisfies Record<keyof CriterionResult, true>;
    const probeKeys = {
      id: true,
      phase: true,
      kind: true,
      from: true,
      to: true,
      port: true,
      expected: true,
      control: true,
      outcome: true,
      command: true,
      tries: true,
      startedAt: true,
      durationMs: true,
      detail: true,
      seenSource: true,
      httpStatus: true,
      controlsPassed: true,
      once: true,
    } satisfies Record<keyof ProbeResult, true>;
    const phaseKeys = {
      id: true,
      title: true,
      steps: true,
      truthTables: true,
      settleMs: true,
      durationMs: true,
    } satisfies Record<keyof PhaseRecord, true>;
    const stepKeys = {
      step: true,
      phase: true,
      status: true,
      commands: true,
      durationMs: true,
      message: true,
      daemons: true,
      allowedFailures: true,
    } satisfies Record<keyof StepResult, true>;
    const topologyKeys = { vpcs: true, peerings: true } satisfies Record<keyof Topology, true>;

    const defs = summarySchema.definitions;
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(summarySchema.properties)).toEqual(keys(summaryKeys));
    expect(keys(defs.criterion.properties)).toEqual(keys(criterionKeys));
    expect(keys(defs.probe.properties)).toEqual(keys(probeKeys));
    expect(keys(defs.phase.properties)).toEqual(keys(phaseKeys));
    expect(keys(defs.step.properties)).toEqual(keys(stepKeys));
    expect(keys(defs.topology.properties)).toEqual(keys(topologyKeys));
    const idPattern = new RegExp(defs.criterionId.pattern);
    expect(ALL_CRITERIA.filter((id) => !idPattern.test(id))).toEqual([]);
  });
});
