import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inferProfile } from '../src/init/init.js';
import { PACKAGE_ROOT } from '../src/util/paths.js';
import type { InitSample } from './init-times.js';

export const INIT_FIXTURES_DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'targets');

/** The fixture tools `init` is measured on: test/fixtures/targets/init-*. */
export function initFixtures(): string[] {
  return readdirSync(INIT_FIXTURES_DIR)
    .filter((n) => n.startsWith('init-'))
    .sort();
}

export async function measureInit(fixture: string): Promise<InitSample> {
  const started = performance.now();
  const result = await inferProfile(join(INIT_FIXTURES_DIR, fixture));
  return {
    fixture,
    ms: performance.now() - started,
    proved: result.lines.filter((l) => l.outcome === 'proved').length,
    steps: result.lines.length,
  };
}
