import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../../../lab/sandbox/index.js';
import { distPath, PACKAGE_ROOT } from '../../../src/util/paths.js';
import { isRoot } from '../../helpers/root.js';

describe.skipIf(!isRoot)('sandbox options a profile asks for', () => {
  it('`vpc-verify sandbox -- CMD` started from /tmp runs in the private /tmp', async () => {
    const marker = `vpc-sandbox-from-tmp-${process.pid}`;
    const result = await execa(
      process.execPath,
      [distPath('src/verify/main.js'), 'sandbox', '--', 'sh', '-c', `pwd; touch /tmp/${marker}; echo done`],
      { cwd: '/tmp', reject: false, stdin: 'ignore' },
    );
    expect(result.stderr).not.toMatch(/no mount point specified/);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual(['/tmp', 'done']);
    // Written inside the sandbox's own /tmp: gone with it.
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
  });

  it('names the uplink as asked, makes state paths private and answers sudo itself', async () => {
    const fixtures = mkdtempSync(join(PACKAGE_ROOT, 'test', '.sandbox-state-'));
    writeFileSync(join(fixtures, 'lib.sh'), 'echo from-target-folder\n');
    const script = `
      echo "LINK $(ip -o link show ens33 | cut -d: -f2 | cut -d@ -f1 | tr -d ' ')"
      echo "ENV $VPC_SANDBOX_UPLINK"
      echo state > /usr/lib/vpc-acceptance-state-test/file && echo "WROTE $(cat /usr/lib/vpc-acceptance-state-test/file)"
      echo "VIEW $(sh /opt/vpc-acceptance-view-test/lib.sh)"
      echo changed > /opt/vpc-acceptance-view-test/lib.sh
      echo "SUDO $(sudo -E -n id -u)"
    `;
    const result = await runInSandbox(['bash', '-c', script], {
      uplink: 'ens33',
      statePaths: [
        { path: '/usr/lib/vpc-acceptance-state-test' },
        { path: '/opt/vpc-acceptance-view-test', from: fixtures },
      ],
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'LINK ens33',
      'ENV ens33',
      'WROTE state',
      'VIEW from-target-folder',
      'SUDO 0',
    ]);
    // Nothing of it reached the host: no new folders, the target's file unchanged.
    expect(existsSync('/usr/lib/vpc-acceptance-state-test')).toBe(false);
    expect(existsSync('/opt/vpc-acceptance-view-test')).toBe(false);
    expect(readFileSync(join(fixtures, 'lib.sh'), 'utf8')).toBe('echo from-target-folder\n');
    rmSync(fixtures, { recursive: true, force: true });
  });
});
