import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is), from source (vitest) or from dist/. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lab'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the vpc-acceptance package root');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();

/** A compiled entry point, e.g. `dist('src/vpcctl/main.js')`. */
export function distPath(relative: string): string {
  return join(PACKAGE_ROOT, 'dist', relative);
}
