import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { compileSchemaFile } from '../schema/index.js';
import { VpcError } from '../util/errors.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { pointerJoin, type SchemaProblem, showValue, translateAjvErrors } from './schema-problems.js';

/** Per-step and overall deadlines of one submission, in ms. */
export interface SubmissionTimeouts {
  /** Every step without its own value. */
  default?: number;
  /** Per lab step (`createVpc`, `deployHttp`, ...). */
  steps?: Record<string, number>;
  /** The whole run of this submission, after which the batch gives up on it (row `error`). */
  overall?: number;
}

export interface Submission {
  name: string;
  /** Absolute path of the submission's directory. */
  dir: string;
  /** A built-in profile name, or the absolute path of a profile file. */
  profile: string;
  timeouts: SubmissionTimeouts;
  startState?: string;
}

export interface Manifest {
  /** Absolute path of the manifest file (`<inline>` when parsed from text without one). */
  file: string;
  submissions: Submission[];
}

export const DEFAULT_PROFILE = 'seed';

export interface ManifestProblem extends SchemaProblem {
  file: string;
  /** 1-based position of the bad value in the file, when it is there. */
  line?: number;
  column?: number;
}

export function formatManifestProblem(p: ManifestProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where}: ${p.path}: ${p.problem}: got ${p.got}, expected ${p.expected}`;
}

/** A manifest that cannot be used; `problems` lists every one found, not only the first. */
export class ManifestError extends VpcError {
  readonly problems: ManifestProblem[];

  constructor(file: string, problems: ManifestProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'E_SCHEMA',
      `invalid batch manifest ${file} (${count}):\n${problems.map((p) => `  - ${formatManifestProblem(p)}`).join('\n')}`,
      {
        hint: 'fix the manifest; its format is described in docs/grading.md (section "The manifest")',
      },
    );
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

export const MANIFEST_SCHEMA_FILE = join(PACKAGE_ROOT, 'src', 'batch', 'manifest.schema.json');

/** `./profiles/a.json` is a file; `seed` is a built-in name. */
/** The profile name that means: infer it with `vpc-verify init` first. */
export const AUTO_PROFILE = 'auto';

export function isProfilePath(profile: string): boolean {
  return /[/\\]/.test(profile) || /\.(json|ya?ml)$/i.test(profile);
}

interface RawTimeouts {
  default?: number;
  steps?: Record<string, number>;
  overall?: number;
}

interface RawSubmission {
  name: string;
  dir: string;
  profile?: string;
  timeouts?: RawTimeouts;
  startState?: string;
}

interface RawManifest {
  version?: 1;
  defaults?: { profile?: string; timeouts?: RawTimeouts; startState?: string };
  submissions: RawSubmission[];
}

function pathSegments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Where a JSON path points in the YAML/JSON text: the deepest node that exists on it. */
function locate(doc: ReturnType<typeof parseDocument>, lines: LineCounter, pointer: string) {
  let node: unknown = doc.contents;
  for (const segment of pathSegments(pointer)) {
    let next: unknown;
    if (isMap(node)) next = node.get(segment, true);
    else if (isSeq(node) && typeof segment === 'number') next = node.get(segment, true);
    if (next === undefined || next === null) break;
    node = next;
  }
  const range = (node as Node | null | undefined)?.range;
  if (!range) return {};
  const pos = lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

export interface ParseOptions {
  /** Built-in profile names; when given, an unknown name is a manifest problem rather than a failed row. */
  builtinProfiles?: readonly string[];
  /** Check that profile files exist (default true; the submissions' own directories are checked per run). */
  checkProfileFiles?: boolean;
}

/**
 * Parse and validate a manifest's text (JSON is YAML, so one parser does both,
 * and both get line numbers). Relative paths are resolved against the folder
 * of `file`. Throws ManifestError listing every problem.
 */
export function parseManifest(text: string, file: string, options: ParseOptions = {}): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ManifestError(
      file,
      doc.errors.map((error) => {
        const pos = lines.linePos(error.pos[0]);
        return {
          file,
          path: '/',
          problem: `not valid JSON or YAML (${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')})`,
          got: 'unparseable text',
          expected: 'a JSON or YAML document',
          line: pos.line,
          column: pos.col,
        };
      }),
    );
  }
  const data: unknown = doc.toJS();
  const { errorsOf, schema } = compileSchemaFile(MANIFEST_SCHEMA_FILE);
  const errors = errorsOf(data);
  if (errors.length > 0) {
    const problems = translateAjvErrors(errors, schema).map((p) => ({
      file,
      ...p,
      ...locate(doc, lines, p.path),
    }));
    throw new ManifestError(file, problems);
  }
  const raw = data as RawManifest;
  const base = dirname(resolve(file));
  const problems: ManifestProblem[] = [];

  const byName = new Map<string, number>();
  raw.submissions.forEach((submission, index) => {
    // Case-insensitively: output folders named `Alice` and `alice` collide on some file systems.
    const key = submission.name.toLowerCase();
    const first = byName.get(key);
    if (first === undefined) {
      byName.set(key, index);
      return;
    }
    const path = pointerJoin(pointerJoin('/submissions', index), 'name');
    problems.push({
      file,
      path,
      problem: `duplicate submission name (first at /submissions/${first}/name)`,
      got: showValue(submission.name),
      expected: 'a name no other submission has (names are compared without case)',
      ...locate(doc, lines, path),
    });
  });

  const checkProfile = (profile: string, path: string): string => {
    if (!isProfilePath(profile)) {
      // `auto`: vpc-verify init infers the profile from the submission itself (docs/profiles.md).
      if (profile === AUTO_PROFILE) return profile;
      if (options.builtinProfiles && !options.builtinProfiles.includes(profile)) {
        problems.push({
          file,
          path,
          problem: 'unknown built-in profile',
          got: showValue(profile),
          expected: `one of ${options.builtinProfiles.map((p) => `"${p}"`).join(', ')}, "auto", or the path of a profile file (with a "/" or a .json ending)`,
          ...locate(doc, lines, path),
        });
      }
      return profile;
    }
    const absolute = isAbsolute(profile) ? profile : resolve(base, profile);
    if ((options.checkProfileFiles ?? true) && !(existsSync(absolute) && statSync(absolute).isFile())) {
      problems.push({
        file,
        path,
        problem: `profile file not found (${absolute})`,
        got: showValue(profile),
        expected: "the path of an existing profile file, relative to the manifest's folder or absolute",
        ...locate(doc, lines, path),
      });
    }
    return absolute;
  };

  const defaults = raw.defaults ?? {};
  const defaultProfile =
    defaults.profile === undefined ? DEFAULT_PROFILE : checkProfile(defaults.profile, '/defaults/profile');

  const submissions = raw.submissions.map((submission, index): Submission => {
    const profile =
      submission.profile === undefined
        ? defaultProfile
        : checkProfile(submission.profile, `/submissions/${index}/profile`);
    const timeouts: SubmissionTimeouts = {};
    const timeoutDefault = submission.timeouts?.default ?? defaults.timeouts?.default;
    if (timeoutDefault !== undefined) timeouts.default = timeoutDefault;
    const overall = submission.timeouts?.overall ?? defaults.timeouts?.overall;
    if (overall !== undefined) timeouts.overall = overall;
    const steps = { ...defaults.timeouts?.steps, ...submission.timeouts?.steps };
    if (Object.keys(steps).length > 0) timeouts.steps = steps;
    const startState = submission.startState ?? defaults.startState;
    return {
      name: submission.name,
      dir: isAbsolute(submission.dir) ? submission.dir : resolve(base, submission.dir),
      profile,
      timeouts,
      ...(startState === undefined ? {} : { startState }),
    };
  });

  if (problems.length > 0) throw new ManifestError(file, problems);
  return { file: resolve(file), submissions };
}

/** Read, parse and validate a manifest file (`.json`, `.yaml` or `.yml`). */
export function loadManifest(path: string, options: ParseOptions = {}): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VpcError('E_NOT_FOUND', `cannot read the batch manifest ${path}: ${(error as Error).message}`, {
      hint: `give the path of a JSON or YAML manifest, e.g. vpc-verify batch ./class.yaml (got "${basename(path)}")`,
      cause: error,
    });
  }
  return parseManifest(text, path, options);
}
