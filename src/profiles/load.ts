import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileSchemaFile } from '../schema/index.js';
import { VpcError } from '../util/errors.js';
import { checkTemplates } from './check-templates.js';
import { builtinDir, builtinProfileNames, schemaFile } from './files.js';
import { substitute } from './placeholders.js';
import { formatProblem, type Problem } from './problems.js';
import { byPath, translateAjvErrors } from './schema-errors.js';
import { type PolicySpec, PROFILE_DEFAULTS, type Profile, type ProfileFile } from './types.js';

/** The profile schema as a JSON object (for tools and tests). */
export function profileSchema(): Record<string, unknown> {
  return compileSchemaFile(schemaFile()).schema;
}

/** Every problem in a profile (schema and placeholders), empty when it is valid. */
export function profileProblems(json: unknown): Problem[] {
  const { errorsOf, schema } = compileSchemaFile(schemaFile());
  const schemaProblems = translateAjvErrors(errorsOf(json), schema);
  return byPath([...schemaProblems, ...checkTemplates(json)]);
}

function withDefaults(file: ProfileFile, source: string): Profile {
  const policy: PolicySpec = file.policy ?? { format: 'seed-json' };
  const defaultFileName =
    policy.format === 'template' && policy.output === 'yaml'
      ? 'policy.yaml'
      : PROFILE_DEFAULTS.policyFileName[policy.format];
  return {
    name: file.name,
    description: file.description,
    source,
    command: [...file.command],
    env: { ...file.env },
    cwd: file.cwd,
    // {wan} follows the uplink: a tool that hard-codes ens33 gets an uplink called ens33.
    wan: file.wan ?? file.uplink ?? PROFILE_DEFAULTS.uplink,
    uplink: file.uplink ?? PROFILE_DEFAULTS.uplink,
    bridgeName: file.bridgeName ?? PROFILE_DEFAULTS.bridgeName,
    subnetName:
      typeof file.subnetName === 'string'
        ? { public: file.subnetName, private: file.subnetName }
        : file.subnetName && { ...file.subnetName },
    subnetCidrs: file.subnetCidrs ?? 'lab',
    statePaths: (file.statePaths ?? []).map((p) => (typeof p === 'string' ? { path: p } : { ...p })),
    requires: [...(file.requires ?? [])],
    timeouts: {
      defaultMs: file.timeouts?.defaultMs ?? PROFILE_DEFAULTS.timeoutMs,
      steps: { ...file.timeouts?.steps },
    },
    policy: { ...policy, fileName: policy.fileName ?? defaultFileName },
    notes: [...(file.notes ?? [])],
    steps: {
      ...file.steps,
      setup: file.steps.setup ?? [],
      teardownSubnet: file.steps.teardownSubnet ?? [],
      teardownAll: file.steps.teardownAll ?? [],
    },
  };
}

/**
 * Check a parsed profile and return it with defaults filled in. Throws
 * VpcError E_SCHEMA listing every problem, one per line:
 * `<source>: <JSON path>: <what was wrong> (got <bad value>), expected <what>`.
 */
export function validateProfile(json: unknown, source: string): Profile {
  const problems = profileProblems(json);
  if (problems.length > 0) {
    const lines = problems.map((p) => formatProblem(source, p));
    throw new VpcError(
      'E_SCHEMA',
      `profile ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
      { hint: 'see docs/profiles.md for every field, step and placeholder' },
    );
  }
  return withDefaults(json as ProfileFile, source);
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** Read and parse a JSON profile file (syntax errors name the line and column). */
export function readProfileJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VpcError('E_NOT_FOUND', `cannot read profile ${path}: ${(error as Error).message}`, {
      hint: `give a built-in profile name (${builtinProfileNames().join(', ')}) or the path of a JSON profile`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : ` at ${lineColumn(text, Number(position))}`;
    // Some V8 messages quote the whole text: keep the head only.
    const short = message.length > 160 ? `${message.slice(0, 157)}...` : message;
    throw new VpcError('E_SCHEMA', `${path}: not valid JSON${where}: ${short}`, { cause: error });
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A built-in profile by name (`seed`, `positional`), or a JSON profile file by
 * path. A bare name that is a built-in wins over a file of the same name in the
 * current directory: write `./seed` for the file.
 */
export function loadProfile(nameOrPath: string): Profile {
  if (NAME.test(nameOrPath) && !nameOrPath.endsWith('.json')) {
    if (builtinProfileNames().includes(nameOrPath)) {
      const json = readProfileJson(join(builtinDir(), `${nameOrPath}.json`));
      return validateProfile(json, `builtin:${nameOrPath}`);
    }
    if (!existsSync(nameOrPath)) {
      throw new VpcError('E_NOT_FOUND', `unknown profile "${nameOrPath}": not a built-in and not a file`, {
        hint: `built-in profiles: ${builtinProfileNames().join(', ')}; otherwise give the path of a JSON profile`,
      });
    }
  }
  const path = resolve(nameOrPath);
  return validateProfile(readProfileJson(path), path);
}

/**
 * The working directory's problem for a run against `dir`, if any: `cwd` must
 * exist before the first step, unless a setup step may create it (checked
 * when the steps run, lab/steps.ts).
 */
export function cwdProblem(profile: Profile, dir: string): Problem | undefined {
  if (profile.cwd === undefined) return undefined;
  const cwd = substitute(profile.cwd, (name) => (name === 'dir' ? dir : `{${name}}`));
  const hasSetup = Array.isArray(profile.steps.setup) && profile.steps.setup.length > 0;
  if (existsSync(cwd) || hasSetup) return undefined;
  return {
    path: '/cwd',
    problem: `the working directory ${cwd} does not exist, and no setup step could create it`,
    got: JSON.stringify(profile.cwd),
    expected: 'an existing folder (e.g. "{dir}"), or a "setup" step that creates it',
  };
}
