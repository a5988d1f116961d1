import type { State } from '../model.js';
import type { ManagedChain } from './chains.js';
import type { IptablesSnapshot } from './iptables.js';

/**
 * One change to the system. Planners return ordered lists of steps; the
 * executor applies them (consecutive `ip` steps of one namespace go through a
 * single `ip -batch`) or prints them for --dry-run.
 */
export type Step =
  /** `ip [-n NETNS] ARGS...` */
  | { kind: 'ip'; netns?: string; args: string[] }
  /** `[ip netns exec NETNS] iptables-restore --noflush` fed with `input`. */
  | { kind: 'iptables-restore'; netns?: string; input: string }
  /** A sysctl of the root namespace (`sysctl -w key=value`). */
  | { kind: 'sysctl'; key: string; value: string }
  /** Delete an iptables table that vpcctl created and that is empty again (nf_tables backend only). */
  | { kind: 'nft-delete-table'; family: 'ip'; table: string }
  /** Start the HTTP server in a namespace and wait until it answers. */
  | {
      kind: 'start-http';
      vpc: string;
      subnet: string;
      netns: string;
      address: string;
      port: number;
      log: string;
    }
  /** Stop a process vpcctl started (only if it still is that process). */
  | { kind: 'stop-process'; pid: number; match: string[]; what: string };

export interface Plan {
  /** The state once every step succeeded. */
  state: State;
  steps: Step[];
  /** Best-effort undo when a step fails, so a failed command leaves nothing behind. */
  rollback: Step[];
  /** Told to the user on success. */
  messages: string[];
  /** Keep going after a failed step (teardown): remove as much as possible. */
  bestEffort?: boolean;
}

/** What the planners need to know about the system, read once per invocation. */
export interface Observed {
  /** Interface names in the root namespace. */
  links: string[];
  /** IPv4 addresses in the root namespace. */
  addresses: { ifname: string; address: string; prefix: number }[];
  /** Named network namespaces (`ip netns list`). */
  netns: string[];
  iptables: IptablesSnapshot;
  /** Current values of the sysctls vpcctl manages. */
  sysctls: Record<string, string>;
}

/**
 * Knobs of the planners. The reference behaviour is the default; a later
 * issue derives fault-injected variants by changing these, never by forking
 * the planners.
 */
export interface PlanOptions {
  /** Prefix of vpcctl's own iptables chains. */
  chainPrefix: string;
  /** Tag in `-m comment` of every rule vpcctl adds. */
  commentTag: string;
  /** Path of the compiled HTTP server script (for deploy-http). */
  httpServerScript: string;
  /** Directory for server logs. */
  logDir: string;
  /** ISO time to stamp records with (injected so plans are reproducible). */
  now: string;
  /**
   * Test-only transforms of what the planners produce (test/support/vpcctl/:
   * fault-injected and alternative designs). The shipped CLI never sets them.
   */
  hooks?: PlanHooks;
}

/** Each hook gets the reference result and returns what to use instead. */
export interface PlanHooks {
  /** The root namespace's managed chains for a state. */
  rootChains?: (chains: ManagedChain[], state: State, options: PlanOptions) => ManagedChain[];
  /** A subnet's policy chains. */
  policyChains?: (chains: ManagedChain[], options: PlanOptions) => ManagedChain[];
  /** A command's whole plan, before it runs (or is printed by --dry-run). */
  plan?: (plan: Plan, context: { prev: State; observed: Observed; options: PlanOptions }) => Plan;
}

export const DEFAULT_CHAIN_PREFIX = 'VPCCTL';
export const DEFAULT_COMMENT_TAG = 'vpcctl';
