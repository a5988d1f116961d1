import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/paths.js';

/**
 * Profiles and the schema are JSON files read at run time. They are found
 * relative to the package root (src/util/paths.ts), never relative to dist/:
 * the same code runs from src/ under vitest and from dist/src/ when built,
 * and the JSON stays in src/, which ships with the package.
 */
export function packageRoot(): string {
  return PACKAGE_ROOT;
}

export function profilesDir(): string {
  return join(packageRoot(), 'src', 'profiles');
}

export function schemaFile(): string {
  return join(profilesDir(), 'profile.schema.json');
}

export function builtinDir(): string {
  return join(profilesDir(), 'builtin');
}

export function examplesDir(): string {
  return join(profilesDir(), 'examples');
}

/** Names of the built-in profiles (`seed`, ...): the JSON files in builtin/. */
export function builtinProfileNames(): string[] {
  return readdirSync(builtinDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}
