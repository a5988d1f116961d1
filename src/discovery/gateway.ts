import type { EventStream } from '../exec/events.js';
import type { DiscoveredSubnet } from '../model/evidence.js';
import { classifyPing } from '../probes/classify.js';
import { pingArgv } from '../probes/commands.js';
import { type Clock, defaultExec, type ProbeExec, realClock } from '../probes/exec.js';

export interface GatewayCheckOptions {
  exec?: ProbeExec;
  clock?: Clock;
  events?: EventStream;
  /** Pings per gateway before giving up (ARP may still be settling). Default 3. */
  tries?: number;
  timeoutSec?: number;
}

/**
 * Ping each discovered subnet's default gateway from its namespace and fill
 * `gatewayAnswers` (vpc-created needs a gateway that answers).
 */
export async function checkGateways(
  subnets: readonly DiscoveredSubnet[],
  options: GatewayCheckOptions = {},
): Promise<DiscoveredSubnet[]> {
  const exec = options.exec ?? defaultExec;
  const clock = options.clock ?? realClock;
  const tries = options.tries ?? 3;
  const timeoutSec = options.timeoutSec ?? 2;
  return Promise.all(
    subnets.map(async (subnet) => {
      if (!subnet.netns || !subnet.gateway) return { ...subnet, gatewayAnswers: false };
      let last = '';
      for (let i = 1; i <= tries; i++) {
        const result = await exec(pingArgv(subnet.gateway, timeoutSec), {
          netns: subnet.netns,
          timeoutMs: (timeoutSec + 5) * 1000,
          label: `gateway:${subnet.key}`,
          ...(options.events ? { events: options.events } : {}),
        });
        const classified = classifyPing(result);
        if (classified.outcome === 'connected') return { ...subnet, gatewayAnswers: true };
        last = `${classified.outcome}: ${classified.detail} (${result.escapedCommand})`;
        if (classified.outcome === 'error') break;
        if (i < tries) await clock.sleep(500);
      }
      const problem = `gateway ${subnet.gateway} does not answer a ping from ${subnet.netns}: ${last}`;
      return {
        ...subnet,
        gatewayAnswers: false,
        problem: subnet.problem ? `${subnet.problem}; ${problem}` : problem,
      };
    }),
  );
}
