import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadManifest,
  ManifestError,
  type ManifestProblem,
  parseManifest,
} from '../../../src/batch/manifest.js';
import { VpcError } from '../../../src/util/errors.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'manifest-test-'));
  mkdirSync(join(dir, 'profiles'));
  writeFileSync(join(dir, 'profiles', 'positional.json'), '{}');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(text: string, file = join(dir, 'class.yaml'), options = {}): ManifestProblem[] {
  try {
    parseManifest(text, file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).code).toBe('E_SCHEMA');
    return (error as ManifestError).problems;
  }
  throw new Error('expected the manifest to be rejected');
}

const GOOD_YAML = `# a class of three
version: 1
defaults:
  profile: seed
  timeouts:
    default: 30000
    steps:
      deployHttp: 60000
  startState: fresh
submissions:
  - name: alice
    dir: ./subs/alice
  - name: bob
    dir: subs/bob
    profile: ./profiles/positional.json
    timeouts:
      steps:
        createVpc: 5000
      overall: 600000
  - name: carol
    dir: /abs/carol
    profile: seed
    startState: docker-host
`;

describe('parseManifest', () => {
  it('resolves relative paths against the manifest folder and applies the defaults', () => {
    const manifest = parseManifest(GOOD_YAML, join(dir, 'class.yaml'));
    expect(manifest.file).toBe(join(dir, 'class.yaml'));
    expect(manifest.submissions).toEqual([
      {
        name: 'alice',
        dir: join(dir, 'subs', 'alice'),
        profile: 'seed',
        timeouts: { default: 30000, steps: { deployHttp: 60000 } },
        startState: 'fresh',
      },
      {
        name: 'bob',
        dir: join(dir, 'subs', 'bob'),
        profile: join(dir, 'profiles', 'positional.json'),
        timeouts: { default: 30000, overall: 600000, steps: { deployHttp: 60000, createVpc: 5000 } },
        startState: 'fresh',
      },
      {
        name: 'carol',
        dir: '/abs/carol',
        profile: 'seed',
        timeouts: { default: 30000, steps: { deployHttp: 60000 } },
        startState: 'docker-host',
      },
    ]);
  });

  it('reads the same manifest written as JSON, and defaults the profile to seed', () => {
    const json = JSON.stringify({ submissions: [{ name: 'alice', dir: 'a' }] });
    expect(parseManifest(json, join(dir, 'class.json')).submissions).toEqual([
      { name: 'alice', dir: join(dir, 'a'), profile: 'seed', timeouts: {} },
    ]);
  });

  it('reports every schema problem with file, line, JSON path, bad value and what was expected', () => {
    const text = `submissions:
  - name: alice
  - name: bob
    dir: b
    timeouts:
      default: "30s"
  - name: ../evil
    dir: c
    profle: seed
`;
    const file = join(dir, 'bad.yaml');
    const problems = problemsOf(text, file);
    const byPath = new Map(problems.map((p) => [p.path, p]));
    expect(byPath.get('/submissions/0/dir')).toMatchObject({
      file,
      line: 2,
      problem: 'missing required key "dir"',
      got: 'nothing',
    });
    expect(byPath.get('/submissions/0/dir')?.expected).toMatch(/path of the submission's directory/);
    expect(byPath.get('/submissions/1/timeouts/default')).toMatchObject({ line: 6, got: '"30s"' });
    expect(byPath.get('/submissions/1/timeouts/default')?.expected).toMatch(/whole number of milliseconds/);
    expect(byPath.get('/submissions/2/name')).toMatchObject({ line: 7, got: '"../evil"' });
    expect(byPath.get('/submissions/2/profle')).toMatchObject({ line: 9, problem: 'unknown key "profle"' });
    expect(byPath.get('/submissions/2/profle')?.expected).toContain('"profile"');
    expect(problems).toHaveLength(4);
  });

  it('puts every problem in the error message, one line each', () => {
    const file = join(dir, 'bad.yaml');
    expect(() => parseManifest('submissions:\n  - name: 42\n    dir: x\n', file)).toThrow(
      new RegExp(`${file.replace(/[/.]/g, '\\$&')}:2:\\d+: /submissions/0/name: .*got 42, expected a name`),
    );
  });

  it('rejects duplicate names, without case, pointing at the second one', () => {
    const problems = problemsOf(
      'submissions:\n  - {name: alice, dir: a}\n  - {name: bob, dir: b}\n  - {name: Alice, dir: c}\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: '/submissions/2/name',
        line: 4,
        problem: 'duplicate submission name (first at /submissions/0/name)',
        got: '"Alice"',
      }),
    ]);
  });

  it('rejects a missing profile file and, when the built-ins are known, an unknown built-in name', () => {
    const problems = problemsOf(
      'defaults:\n  profile: nope\nsubmissions:\n  - {name: a, dir: a, profile: ./profiles/missing.json}\n  - {name: b, dir: b}\n',
      join(dir, 'class.yaml'),
      { builtinProfiles: ['seed', 'positional'] },
    );
    expect(problems.map((p) => [p.path, p.problem])).toEqual([
      ['/defaults/profile', 'unknown built-in profile'],
      ['/submissions/0/profile', `profile file not found (${join(dir, 'profiles', 'missing.json')})`],
    ]);
  });

  it('rejects bad step names, an empty list and an unknown version', () => {
    const problems = problemsOf(
      'version: 2\nsubmissions: []\ndefaults:\n  timeouts:\n    steps:\n      Create-VPC: 10\n',
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/defaults/timeouts/steps/Create-VPC',
      '/submissions',
      '/version',
    ]);
  });

  it('reports a syntax error with its line', () => {
    const problems = problemsOf('submissions:\n  - name: a\n    dir: [unclosed\n');
    expect(problems[0]?.problem).toMatch(/not valid JSON or YAML/);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects duplicate keys rather than keeping the last', () => {
    const problems = problemsOf('submissions:\n  - name: a\n    name: b\n    dir: x\n');
    expect(problems[0]?.problem).toMatch(/not valid JSON or YAML.*(unique|duplicate)/i);
  });
});

describe('loadManifest', () => {
  it('loads a YAML file from disk', () => {
    writeFileSync(join(dir, 'class.yml'), GOOD_YAML);
    expect(loadManifest(join(dir, 'class.yml')).submissions.map((s) => s.name)).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
  });

  it('says which file it could not read', () => {
    const missing = join(dir, 'nope.yaml');
    let caught: unknown;
    try {
      loadManifest(missing);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VpcError);
    expect((caught as VpcError).code).toBe('E_NOT_FOUND');
    expect((caught as VpcError).message).toContain(missing);
  });
});
