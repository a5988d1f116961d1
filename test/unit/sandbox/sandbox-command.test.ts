import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, type HostSnapshot } from '../../../lab/sandbox/host-snapshot.js';
import { PID1_SCRIPT, sandboxCommand, UNSHARE_FLAGS } from '../../../lab/sandbox/sandbox.js';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

describe('sandboxCommand', () => {
  it('runs the payload under PID 1 in fresh network, mount and PID namespaces', () => {
    const { argv, env } = sandboxCommand(['bash', '-c', 'true']);
    expect(argv).toEqual(['unshare', ...UNSHARE_FLAGS, 'bash', PID1_SCRIPT, 'bash', '-c', 'true']);
    expect(UNSHARE_FLAGS).toEqual(
      expect.arrayContaining(['--net', '--mount', '--pid', '--fork', '--mount-proc', '--kill-child']),
    );
    expect(env.VPC_SANDBOX_START_STATE).toBe('fresh');
    expect(env.VPC_SANDBOX_ROOT).toBe(PACKAGE_ROOT);
  });

  it('binds back only keep-paths that the sandbox hides, and none inside another', () => {
    const { env } = sandboxCommand(['true'], {
      keepPaths: ['/tmp/a/b', '/tmp/a', '/tmp/a/c/profile.json', '/usr/share', '/etc/x', '/tmp/ab'],
      transcriptPath: '/run/reports/t.log',
      startState: 'docker-host',
    });
    const keep = (env.VPC_SANDBOX_KEEP ?? '').split('\n');
    expect(keep).not.toContain('/usr/share');
    expect(keep).not.toContain('/tmp/a/b');
    expect(keep).not.toContain('/tmp/a/c/profile.json');
    expect(keep).toEqual(expect.arrayContaining(['/tmp/a', '/tmp/ab', '/etc/x', '/run/reports']));
    expect(env.VPC_TRANSCRIPT).toBe('/run/reports/t.log');
    expect(env.VPC_SANDBOX_START_STATE).toBe('docker-host');
    if (dirname(process.execPath).startsWith('/usr/')) expect(keep).not.toContain(dirname(process.execPath));
  });

  it('refuses an empty payload', () => {
    expect(() => sandboxCommand([])).toThrow(/empty payload/);
  });
});

describe('diffSnapshots', () => {
  const base: HostSnapshot = { netns: '', links: 'lo', routes: '', iptables: '', ip6tables: '', mounts: '/' };
  it('names every view that changed', () => {
    expect(diffSnapshots(base, { ...base })).toEqual([]);
    expect(diffSnapshots(base, { ...base, netns: 'vpc1-publicsub', iptables: '-A FORWARD -j DROP' })).toEqual(
      ['netns', 'iptables'],
    );
  });
});
