import type { ServerRecord, State, SubnetRecord, VpcRecord } from '../model.js';
import type { Step } from './types.js';

/** Every root-namespace interface that vpcctl created. */
export function managedLinks(state: State): Set<string> {
  const names = new Set<string>();
  for (const vpc of state.vpcs) {
    names.add(vpc.bridge);
    for (const s of vpc.subnets) names.add(s.hostIf);
  }
  for (const p of state.peerings) {
    names.add(p.linkA);
    names.add(p.linkB);
  }
  return names;
}

/** What identifies our server in /proc/PID/cmdline (so a recycled PID is never killed). */
export function serverMatch(server: ServerRecord): string[] {
  return ['http-server.js', server.address, String(server.port)];
}

export function stopServerStep(vpc: VpcRecord, subnet: SubnetRecord, server: ServerRecord): Step {
  return {
    kind: 'stop-process',
    pid: server.pid,
    match: serverMatch(server),
    what: `HTTP server of ${vpc.name}/${subnet.name} on ${server.address}:${server.port}`,
  };
}
