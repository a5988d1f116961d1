import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import type { Environment } from '../model/summary.js';

function readNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/**
 * The machine's own forwarding settings, read (never changed) before a run:
 * students' results swing with them, so reports record them. The sandbox
 * starts from its own fixed state regardless.
 */
export async function readHostSettings(): Promise<Environment['host']> {
  const forward = await execa('iptables', ['-S', 'FORWARD'], { reject: false });
  const policy = /^-P FORWARD (\w+)/m.exec(forward.stdout)?.[1];
  return {
    ipForward: readNumber('/proc/sys/net/ipv4/ip_forward'),
    forwardPolicy: policy,
    brNetfilter: existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')
      ? readNumber('/proc/sys/net/bridge/bridge-nf-call-iptables') === 1
      : false,
    dockerChains: /DOCKER/.test(forward.stdout),
  };
}
