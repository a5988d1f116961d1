import { describe, expect, it } from 'vitest';
import { spawnCommand } from '../../../../src/vpcctl/exec/spawn.js';

describe('spawnCommand', () => {
  it('feeds stdin and returns the project result shape', async () => {
    const result = await spawnCommand(['sh', '-c', 'cat; echo err >&2; exit 3'], { input: 'in\n' });
    expect(result).toMatchObject({
      argv: ['sh', '-c', 'cat; echo err >&2; exit 3'],
      escapedCommand: "sh -c 'cat; echo err >&2; exit 3'",
      exitCode: 3,
      failed: true,
      stdout: 'in\n',
      stderr: 'err\n',
      timedOut: false,
      spawnError: undefined,
    });
  });

  it('reports a command that cannot start, and kills one that overruns', async () => {
    const missing = await spawnCommand(['/nonexistent/vpcctl-tool']);
    expect(missing).toMatchObject({
      failed: true,
      exitCode: undefined,
      spawnError: expect.stringMatching(/ENOENT/),
    });
    const slow = await spawnCommand(['sleep', '5'], { timeoutMs: 100 });
    expect(slow).toMatchObject({ failed: true, timedOut: true, signal: 'SIGKILL' });
  });
});
