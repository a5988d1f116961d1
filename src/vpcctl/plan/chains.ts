import {
  BUILTIN_CHAINS,
  deleteSpec,
  type IptablesSnapshot,
  type IptablesTable,
  ruleChain,
  ruleTarget,
} from './iptables.js';

/**
 * vpcctl's rules live in chains of its own, each reached from one built-in
 * chain by a single tagged jump (the hook). A managed chain is always
 * rewritten whole from the state (declaring it in iptables-restore flushes
 * it), so applying twice never duplicates and removing it removes exactly
 * what vpcctl added.
 */
export interface ManagedChain {
  table: string;
  chain: string;
  /** Built-in chain that jumps to it. */
  hook: string;
  /** False: the chain and its hook must go. */
  wanted: boolean;
  /** `-A CHAIN ...` lines in iptables-save's canonical form (so an unchanged chain is not rewritten). */
  rules: string[];
}

export interface RuleSpec {
  source?: string;
  destination?: string;
  inIf?: string;
  outIf?: string;
  protocol?: string;
  /** Match modules after the protocol, e.g. `-m tcp --dport 80`. */
  matches?: string[];
  comment: string;
  target: string;
}

/**
 * A comment as iptables-save prints it: bare when made only of letters,
 * digits, `_` and `-`, otherwise in double quotes (vpcctl's comments never
 * contain quotes or backslashes).
 */
export function quoteComment(comment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(comment) ? comment : `"${comment}"`;
}

/** A rule in the exact form iptables-save prints it. */
export function formatRule(chain: string, spec: RuleSpec): string {
  const parts = [`-A ${chain}`];
  if (spec.source) parts.push(`-s ${spec.source}`);
  if (spec.destination) parts.push(`-d ${spec.destination}`);
  if (spec.inIf) parts.push(`-i ${spec.inIf}`);
  if (spec.outIf) parts.push(`-o ${spec.outIf}`);
  if (spec.protocol) parts.push(`-p ${spec.protocol}`);
  for (const match of spec.matches ?? []) parts.push(match);
  parts.push(`-m comment --comment ${quoteComment(spec.comment)}`, `-j ${spec.target}`);
  return parts.join(' ');
}

export function hookRule(hook: string, chain: string, tag: string): string {
  return `-A ${hook} -m comment --comment ${quoteComment(tag)} -j ${chain}`;
}

function hooksOf(table: IptablesTable | undefined, chain: ManagedChain): string[] {
  return (table?.rules ?? []).filter((r) => ruleChain(r) === chain.hook && ruleTarget(r) === chain.chain);
}

/**
 * iptables-restore input (per table, without `*table` and `COMMIT`) that
 * brings the managed chains from `snapshot` to what they should be. Tables
 * that need no change are absent.
 */
export function reconcileChains(
  chains: readonly ManagedChain[],
  snapshot: IptablesSnapshot,
  tag: string,
): Map<string, string[]> {
  const byTable = new Map<string, string[]>();
  const add = (table: string, lines: string[]): void => {
    if (lines.length === 0) return;
    byTable.set(table, [...(byTable.get(table) ?? []), ...lines]);
  };
  for (const chain of chains) {
    const table = snapshot.tables.get(chain.table);
    const present = table?.chains.has(chain.chain) ?? false;
    const hooks = hooksOf(table, chain);
    const current = (table?.rules ?? []).filter((r) => ruleChain(r) === chain.chain);
    const lines: string[] = [];
    if (chain.wanted) {
      const same =
        present && current.length === chain.rules.length && current.every((r, i) => r === chain.rules[i]);
      if (!same) lines.push(`:${chain.chain} - [0:0]`, ...chain.rules);
      if (hooks.length === 0)
        lines.push(`-I ${chain.hook} 1 -m comment --comment ${quoteComment(tag)} -j ${chain.chain}`);
      for (const extra of hooks.slice(1)) lines.push(deleteSpec(extra));
    } else if (present || hooks.length > 0) {
      for (const hook of hooks) lines.push(deleteSpec(hook));
      if (present) lines.push(`:${chain.chain} - [0:0]`, `-X ${chain.chain}`);
    }
    add(chain.table, lines);
  }
  return byTable;
}

/** The full iptables-restore --noflush input for the changes. */
export function restoreInput(byTable: Map<string, string[]>): string {
  let text = '';
  for (const [table, lines] of byTable) text += `*${table}\n${lines.join('\n')}\nCOMMIT\n`;
  return text;
}

/**
 * Whether the table would hold nothing but built-in chains with policy ACCEPT
 * once the given chains (and the jumps to them) are gone: then it is as if it
 * had never been created.
 */
export function tableEmptyWithout(table: IptablesTable, ownChains: readonly string[]): boolean {
  const builtins = BUILTIN_CHAINS[table.name] ?? [];
  for (const [name, policy] of table.chains) {
    if (builtins.includes(name)) {
      if (policy !== 'ACCEPT') return false;
    } else if (!ownChains.includes(name)) {
      return false;
    }
  }
  return table.rules.every((r) => {
    const chain = ruleChain(r);
    if (ownChains.includes(chain)) return true;
    const target = ruleTarget(r);
    return target !== undefined && ownChains.includes(target);
  });
}
