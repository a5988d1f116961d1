import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/util/paths.js';

/**
 * What one call costs before it does anything: `vpcctl --version` (the
 * bundle that bin/vpcctl runs), the same CLI unbundled (what bin/vpcctl ran
 * before the bundle) and `node -e 0` (the runtime alone). On the host: none of
 * them touches a network, a namespace or a file outside the package.
 */
export const STARTUP_COMMANDS = {
  node: ['node', '-e', '0'],
  vpcctl: [join(PACKAGE_ROOT, 'bin', 'vpcctl'), '--version'],
  unbundled: ['node', join(PACKAGE_ROOT, 'dist', 'src', 'vpcctl', 'main.js'), '--version'],
} as const;

/** bench/unbundled-vpcctl: the same CLI as compiled ES modules, as bin/vpcctl ran it before the bundle. */
export const UNBUNDLED_VPCCTL = join(PACKAGE_ROOT, 'bench', 'unbundled-vpcctl');

export type StartupName = keyof typeof STARTUP_COMMANDS;

/**
 * The order of the calls: every round runs each command once, starting one
 * further along, so a busy moment of the machine lands on all of them alike
 * and none is always first (colder caches) or last.
 */
export function interleave<T>(items: readonly T[], rounds: number): T[] {
  const order: T[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < items.length; i++) order.push(items[(round + i) % items.length] as T);
  }
  return order;
}

function timeOnce(argv: readonly string[], cwd: string, mustBeSilent = false): number {
  const [file, ...args] = argv as [string, ...string[]];
  const started = performance.now();
  const r = spawnSync(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.error) throw new Error(`cannot run ${argv.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  if (mustBeSilent && r.stdout.trim() !== '') {
    throw new Error(
      `${argv.join(' ')} had work to do on a timed run (${r.stdout.trim()}): not a no-change figure`,
    );
  }
  return ms;
}

/** Wall time of each start-up command, `rounds` times each, interleaved. */
export function measureStartup(rounds: number): Record<StartupName, number[]> {
  const names = Object.keys(STARTUP_COMMANDS) as StartupName[];
  const samples: Record<StartupName, number[]> = { node: [], vpcctl: [], unbundled: [] };
  // One untimed call each: the first start reads everything from disk.
  for (const name of names) timeOnce(STARTUP_COMMANDS[name], PACKAGE_ROOT);
  for (const name of interleave(names, rounds)) {
    samples[name].push(timeOnce(STARTUP_COMMANDS[name], PACKAGE_ROOT));
  }
  return samples;
}

export interface SetupSample {
  /** `bash scripts/setup.sh` with nothing to do: what `npm start` pays before verifying. */
  noChangeMs: number[];
  /** One `npm run build`: what every set-up paid before it learned to skip an unchanged build. */
  buildMs: number;
}

/**
 * The set-up that `npm start` runs first. One untimed call makes sure there
 * is nothing left to do (it may install or build once); then `runs` timed
 * calls that must find nothing to do, and one full build.
 */
export function measureSetup(runs: number): SetupSample {
  const setup = ['bash', join(PACKAGE_ROOT, 'scripts', 'setup.sh')];
  timeOnce(setup, PACKAGE_ROOT);
  const noChangeMs: number[] = [];
  for (let i = 0; i < runs; i++) noChangeMs.push(timeOnce(setup, PACKAGE_ROOT, true));
  const buildMs = timeOnce(['npm', 'run', '--silent', 'build'], PACKAGE_ROOT);
  return { noChangeMs, buildMs };
}
