import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isPackageRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'vpc-acceptance';
  } catch {
    return false;
  }
}

/**
 * The package root (our package.json), from source (vitest), from dist/ or
 * dist-test/, in a checkout or an installed package (which has no lab/ sources).
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isPackageRoot(dir)) return dir;
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
