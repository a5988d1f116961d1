import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, run } from '../../../src/exec/index.js';

/**
 * Runs vpcctl's integration scripts in a throwaway sandbox (sandbox.sh inside
 * unshare): nothing they build can touch the host. A stand-in for lab/sandbox
 * until the lab layer provides it.
 */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const HERE = join(REPO, 'test/integration/vpcctl');
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
  const built = join(REPO, 'dist/src/vpcctl/main.js');
  let builtAt: number;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${built} is missing: run npm run build first`);
  }
  if (newestMtime(join(REPO, 'src')) > builtAt)
    throw new Error('dist/ is older than src/: run npm run build first');
}

export function inSandbox(command: readonly string[], timeoutMs: number): Promise<CommandResult> {
  return run(
    [
      'unshare',
      '--net',
      '--mount',
      '--pid',
      '--fork',
      '--mount-proc',
      '--propagation',
      'private',
      '--kill-child',
      'bash',
      join(HERE, 'sandbox.sh'),
      ...command,
    ],
    { timeoutMs, cwd: REPO, label: 'vpcctl-sandbox' },
  );
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
