import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { Environment } from '../src/model/summary.js';
import { forwardPolicy, iptablesBackend, jumpsToDocker } from '../src/snapshot/iptables.js';
import type { LabShell } from './shell.js';

function sysctl(path: string): number | undefined {
  try {
    return Number(readFileSync(`/proc/sys/${path}`, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/**
 * The sandbox's starting values, read before phase 1 (fixed and recorded),
 * plus the settings that change how a target's rules behave (bridge
 * netfilter and ICMP redirects are per namespace).
 */
export async function readEnvironment(
  $: LabShell,
  startState: string,
  host: Environment['host'],
): Promise<Environment> {
  const [version, forward] = await Promise.all([$`iptables --version`, $`iptables -S FORWARD`]);
  return {
    kernel: release(),
    iptablesBackend: iptablesBackend(version.stdout),
    iptablesVersion: version.stdout.trim(),
    node: process.version,
    startState: {
      name: startState,
      ipForward: sysctl('net/ipv4/ip_forward') ?? -1,
      forwardPolicy: forwardPolicy(forward.stdout),
      dockerChains: jumpsToDocker(forward.stdout),
      bridgeNfCallIptables:
        sysctl('net/bridge/bridge-nf-call-iptables') ?? 'absent (br_netfilter not loaded)',
      sendRedirects: sysctl('net/ipv4/conf/all/send_redirects'),
      acceptRedirects: sysctl('net/ipv4/conf/all/accept_redirects'),
    },
    host,
  };
}
