import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Profiles and the schema are JSON files read at run time. They are found
 * relative to the package root (the nearest directory above this module with
 * a package.json), never relative to dist/: the same code runs from src/
 * under vitest and from dist/src/ when built, and the JSON stays in src/,
 * which ships with the package.
 */
let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
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
