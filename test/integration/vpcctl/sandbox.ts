import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInSandbox, type StartStateName } from '../../../lab/sandbox/index.js';
import type { CommandResult } from '../../../src/exec/index.js';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/**
 * vpcctl's integration scripts run in a lab sandbox (lab/sandbox): the uplink
 * eth0, the internet host 198.51.100.10 in namespace `inet`, a private
 * /var/lib (so vpcctl's default state directory is used) and nothing that can
 * reach the host. The scripts call the reference through bin/vpcctl.
 */
export const HERE = join(PACKAGE_ROOT, 'test/integration/vpcctl');
export const isRoot = process.getuid?.() === 0;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The scripts run the built CLI: refuse to test a stale build. */
export function assertBuilt(): void {
  const built = join(PACKAGE_ROOT, 'dist/src/vpcctl/main.js');
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${built} is missing: run npm run build first`);
  }
  if (newestMtime(join(PACKAGE_ROOT, 'src/vpcctl')) > builtAt)
    throw new Error('dist/ is older than src/: run npm run build');
}

export function inSandbox(
  script: string,
  args: readonly string[],
  options: { startState?: StartStateName; keepPaths?: string[]; timeoutMs: number },
): Promise<CommandResult> {
  return runInSandbox(['bash', join(HERE, script), ...args], {
    startState: options.startState,
    keepPaths: options.keepPaths,
    timeoutMs: options.timeoutMs,
    env: { PATH: `${join(PACKAGE_ROOT, 'bin')}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
    label: `vpcctl:${script}`,
  });
}

export interface Check {
  id: string;
  passed: boolean;
  detail: string;
}

/** `CHECK<TAB>id<TAB>PASS|FAIL<TAB>detail` lines (see lib.sh). */
export function parseChecks(stdout: string): Check[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('CHECK\t'))
    .map((line) => {
      const [, id = '', status = '', detail = ''] = line.split('\t');
      return { id, passed: status === 'PASS', detail };
    });
}
