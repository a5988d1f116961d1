import { describe, expect, it } from 'vitest';
import { diffSnapshots, hostSnapshot, runInSandbox } from '../../../lab/sandbox/index.js';
import { isRoot } from '../../helpers/root.js';

// Everything a lab can do to a machine, done inside the sandbox: none of it may show on the host.
const BUILD_A_MESS = `
  set -e
  ip netns add vpc1-publicsub
  ip link add br-vpc1 type bridge
  ip link add veth-x type veth peer name veth-y
  ip link set veth-x master br-vpc1
  ip addr add 10.0.1.1/24 dev br-vpc1
  ip link set br-vpc1 up
  ip route add 10.99.0.0/16 dev br-vpc1
  echo 1 > /proc/sys/net/ipv4/ip_forward
  iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o eth0 -j MASQUERADE
  iptables -P FORWARD DROP
  iptables -N VPC-TEST
  iptables -A FORWARD -j VPC-TEST
  mkdir -p /var/lib/vpcctl && echo '{}' > /var/lib/vpcctl/state.json
  ip netns exec vpc1-publicsub sleep 600 &
`;

describe.skipIf(!isRoot)('the host is untouched', () => {
  it('by a run that builds bridges, namespaces and rules and then crashes, one killed by its timeout, and one that wipes everything', async () => {
    const before = await hostSnapshot();

    const crashed = await runInSandbox(['bash', '-c', `${BUILD_A_MESS}\nexit 3`]);
    expect(crashed.exitCode).toBe(3);

    const killed = await runInSandbox(['bash', '-c', `${BUILD_A_MESS}\nsleep 600`], { timeoutMs: 1_500 });
    expect(killed.timedOut).toBe(true);

    const hostile = await runInSandbox([
      'bash',
      '-c',
      `${BUILD_A_MESS}
       ip -all netns delete; iptables -F; iptables -t nat -F; iptables -X; pkill -9 sleep || true; exit 0`,
    ]);
    expect(hostile.exitCode).toBe(0);

    const after = await hostSnapshot();
    expect(diffSnapshots(before, after)).toEqual([]);
    expect(after).toEqual(before);
  });
});
