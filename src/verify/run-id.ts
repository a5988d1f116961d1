import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

/** `20261124-150102-vpcctl-3fa2`: sortable, names the target, unique across parallel runs. */
export function makeRunId(targetDir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name =
    basename(targetDir)
      .replace(/[^A-Za-z0-9_.-]/g, '_')
      .slice(0, 40) || 'target';
  return `${stamp}-${name}-${randomBytes(2).toString('hex')}`;
}
