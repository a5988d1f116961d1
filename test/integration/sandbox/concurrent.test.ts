import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../../../lab/sandbox/index.js';
import { isRoot } from '../../helpers/root.js';

function script(id: string): string {
  return `
    set -e
    ip netns add only-${id}
    mkdir -p /var/lib/vpcctl && echo ${id} > /var/lib/vpcctl/owner && echo ${id} > /tmp/owner
    ip link add br-same type bridge
    # Both sandboxes are alive at the same time here.
    sleep 1
    echo "NETNS $(ip netns list | cut -d' ' -f1 | sort | tr '\\n' ' ')"
    echo "OWNER $(cat /var/lib/vpcctl/owner) $(cat /tmp/owner)"
    echo "BRIDGES $(ip -o link show type bridge | wc -l)"
  `;
}

describe.skipIf(!isRoot)('two sandboxes at the same time', () => {
  it('do not see each other’s namespaces, links or state', async () => {
    const [a, b] = await Promise.all([
      runInSandbox(['bash', '-c', script('a')]),
      runInSandbox(['bash', '-c', script('b')]),
    ]);
    for (const [result, id] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`NETNS inet only-${id} \n`);
      expect(result.stdout).toContain(`OWNER ${id} ${id}\n`);
      expect(result.stdout).toContain('BRIDGES 1\n');
    }
  });
});
