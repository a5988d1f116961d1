import type { State } from '../model.js';
import { tableEmptyWithout } from './chains.js';
import type { Observed, PlanOptions, Step } from './types.js';

export const IP_FORWARD = 'net.ipv4.ip_forward';
/** The sysctls vpcctl sets while VPCs exist, with the value it needs. */
export const MANAGED_SYSCTLS: Record<string, string> = { [IP_FORWARD]: '1' };

export interface HostPlan {
  state: State;
  /** Before any other change (routing must be on before subnets need it). */
  before: Step[];
  /** After every other change (tables can only go once vpcctl's chains are gone). */
  after: Step[];
}

/**
 * Host-wide settings: the first VPC records the host's previous values and
 * turns routing on; the last one gone restores them and deletes the iptables
 * tables that vpcctl's chains brought into existence, so the host is exactly
 * as it was before the first create-vpc.
 */
export function planHost(
  prev: State,
  next: State,
  observed: Observed,
  ownChains: Record<string, string[]>,
  options: PlanOptions,
): HostPlan {
  const state = structuredClone(next);
  const before: Step[] = [];
  const after: Step[] = [];
  if (state.vpcs.length > 0) {
    state.baseline ??= prev.baseline ?? {
      recordedAt: options.now,
      sysctls: Object.fromEntries(
        Object.keys(MANAGED_SYSCTLS).map((key) => [key, observed.sysctls[key] ?? '0']),
      ),
      tables: [...observed.iptables.tables.keys()],
    };
    for (const [key, value] of Object.entries(MANAGED_SYSCTLS)) {
      if (observed.sysctls[key] !== value) before.push({ kind: 'sysctl', key, value });
    }
    return { state, before, after };
  }
  const baseline = prev.baseline ?? next.baseline;
  delete state.baseline;
  if (!baseline) return { state, before, after };
  for (const [key, value] of Object.entries(baseline.sysctls)) {
    if (observed.sysctls[key] !== undefined && observed.sysctls[key] !== value) {
      after.push({ kind: 'sysctl', key, value });
    }
  }
  if (observed.iptables.backend === 'nf_tables') {
    for (const [name, chains] of Object.entries(ownChains)) {
      const table = observed.iptables.tables.get(name);
      if (table && !baseline.tables.includes(name) && tableEmptyWithout(table, chains)) {
        after.push({ kind: 'nft-delete-table', family: 'ip', table: name });
      }
    }
  }
  return { state, before, after };
}
