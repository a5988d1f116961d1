import type { State } from '../model.js';
import { hookRule, type ManagedChain, reconcileChains, restoreInput } from './chains.js';
import { rootChains } from './firewall.js';
import { planHost } from './host.js';
import type { IptablesSnapshot } from './iptables.js';
import { ruleChain, ruleTarget } from './iptables.js';
import type { Observed, Plan, PlanOptions, Step } from './types.js';

/** What a command planner decides; compose() adds the host and firewall steps. */
export interface Draft {
  state: State;
  /** Links, namespaces, addresses, processes. */
  topology: Step[];
  /** Undo of `topology` (best effort) if a later step fails. */
  rollback: Step[];
  messages: string[];
  /**
   * `build`: host settings and firewall first (deny before connect), then
   * topology. `remove`: topology first (disconnect before the rules go), then
   * firewall, then host settings; keeps going after a failed step.
   */
  order: 'build' | 'remove';
}

/** The snapshot as it will be once the managed chains are applied. */
export function simulateChains(
  snapshot: IptablesSnapshot,
  chains: readonly ManagedChain[],
  tag: string,
): IptablesSnapshot {
  const tables = new Map(
    [...snapshot.tables].map(([name, t]) => [name, { name, chains: new Map(t.chains), rules: [...t.rules] }]),
  );
  for (const chain of chains) {
    let table = tables.get(chain.table);
    if (!table) {
      if (!chain.wanted) continue;
      table = { name: chain.table, chains: new Map(), rules: [] };
      tables.set(chain.table, table);
    }
    const isHook = (r: string): boolean => ruleChain(r) === chain.hook && ruleTarget(r) === chain.chain;
    const others = table.rules.filter((r) => ruleChain(r) !== chain.chain && !isHook(r));
    if (chain.wanted) {
      table.chains.set(chain.chain, '-');
      table.rules = [hookRule(chain.hook, chain.chain, tag), ...others, ...chain.rules];
    } else {
      table.chains.delete(chain.chain);
      table.rules = others;
    }
  }
  return { backend: snapshot.backend ?? 'nf_tables', tables };
}

function restoreStep(byTable: Map<string, string[]>): Step[] {
  return byTable.size === 0 ? [] : [{ kind: 'iptables-restore', input: restoreInput(byTable) }];
}

export function compose(prev: State, draft: Draft, observed: Observed, options: PlanOptions): Plan {
  const nextChains = rootChains(draft.state, options);
  const ownChains: Record<string, string[]> = {};
  for (const c of nextChains) ownChains[c.table] = [...(ownChains[c.table] ?? []), c.chain];
  const host = planHost(prev, draft.state, observed, ownChains, options);
  const firewall = restoreStep(reconcileChains(nextChains, observed.iptables, options.commentTag));
  const undoFirewall =
    firewall.length === 0
      ? []
      : restoreStep(
          reconcileChains(
            rootChains(prev, options),
            simulateChains(observed.iptables, nextChains, options.commentTag),
            options.commentTag,
          ),
        );
  // Undo what this command would otherwise leave behind: routing turned on, tables created.
  const undoHost: Step[] = host.before.flatMap((s) =>
    s.kind === 'sysctl' && observed.sysctls[s.key] !== undefined
      ? [{ kind: 'sysctl', key: s.key, value: observed.sysctls[s.key] ?? '' }]
      : [],
  );
  const undoTables: Step[] = nextChains
    .filter((c) => c.wanted && !observed.iptables.tables.has(c.table))
    .map((c) => ({ kind: 'nft-delete-table', family: 'ip', table: c.table }));
  if (draft.order === 'build') {
    return {
      state: host.state,
      steps: [...host.before, ...firewall, ...draft.topology, ...host.after],
      rollback: [...draft.rollback, ...undoFirewall, ...undoTables, ...undoHost],
      messages: draft.messages,
    };
  }
  return {
    state: host.state,
    steps: [...host.before, ...draft.topology, ...firewall, ...host.after],
    rollback: [],
    messages: draft.messages,
    bestEffort: true,
  };
}
