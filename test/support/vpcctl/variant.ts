import type { CriterionId } from '../../../src/model/criteria.js';
import type { RunDeps } from '../../../src/vpcctl/cli.js';
import type { ManagedChain } from '../../../src/vpcctl/plan/chains.js';
import { quoteComment } from '../../../src/vpcctl/plan/chains.js';
import type { PlanHooks, PlanOptions, Step } from '../../../src/vpcctl/plan/types.js';

/**
 * A variant of the reference vpcctl, for proving the verifier right: a fault
 * (one realistic mistake, which the verifier must catch with exactly the
 * criteria it declares) or a correct design that differs from ours (which
 * must pass everything). Reached only through the test entry point
 * (faulty-main.ts, `VPCCTL_FAULT=<name>`); the shipped CLI never loads this.
 */
export interface Variant {
  name: string;
  kind: 'fault' | 'correct';
  /** The student's mistake (a fault) or the design (a correct variant), for docs/faults.md and reports. */
  mistake: string;
  /** How the variant changes the reference: which plan, chain or command it alters. */
  change: string;
  /** Criteria (Stage 4 and advisory) that must not pass, and only these; empty for a correct variant. */
  fails: readonly CriterionId[];
  /**
   * Criteria that also fail where bridged IPv4 frames cross iptables (br_netfilter loaded,
   * net.bridge.bridge-nf-call-iptables=1 in the sandbox, as summary.json's start state
   * records): a fault whose consequences depend on the host.
   */
  failsWithBridgeNetfilter?: readonly CriterionId[];
  /** Finding ids the verifier must report (warnings, not failures). */
  findings?: readonly string[];
  /** Why the declared criteria are the right ones, where it is not obvious. */
  why?: string;
  hooks?: (ctx: InvocationContext) => PlanHooks;
  /** Wraps the whole invocation, for mistakes outside the plans (exit codes, output). */
  wrap?: (ctx: InvocationContext, invoke: (deps?: RunDeps) => Promise<number>) => Promise<number>;
}

/** The criteria a variant must fail in an environment (bridged frames cross iptables or not). */
export function expectedFailures(variant: Variant, bridgeNetfilter: boolean): CriterionId[] {
  return [...variant.fails, ...(bridgeNetfilter ? (variant.failsWithBridgeNetfilter ?? []) : [])].sort();
}

export interface InvocationContext {
  argv: readonly string[];
  /** The vpcctl command (`create-vpc`, ...): the first argument that is not an option. */
  command: string | undefined;
}

export function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/** Replace the rules of the managed chain hooked from `hook` (e.g. FORWARD, POSTROUTING, INPUT). */
export function mapChain(
  chains: readonly ManagedChain[],
  hook: string,
  change: (chain: ManagedChain) => ManagedChain,
): ManagedChain[] {
  return chains.map((c) => (c.hook === hook ? change(c) : c));
}

export function mapRules(
  chains: readonly ManagedChain[],
  hook: string,
  change: (rules: string[]) => string[],
): ManagedChain[] {
  return mapChain(chains, hook, (c) => ({ ...c, rules: change(c.rules) }));
}

/** Whether a rule carries the comment `<tag>:...<suffix>` (e.g. `:replies`, `:default-deny`). */
export function ruleFor(rule: string, options: PlanOptions, pattern: RegExp): boolean {
  const match = / -m comment --comment ("[^"]*"|\S+)/.exec(rule);
  const comment = match?.[1]?.replace(/^"|"$/g, '') ?? '';
  return comment.startsWith(`${options.commentTag}:`) && pattern.test(comment);
}

/** An iptables-restore step for rules outside vpcctl's own chains (as a student's tool would add them). */
export function rawRules(table: string, lines: string[], netns?: string): Step {
  return {
    kind: 'iptables-restore',
    ...(netns ? { netns } : {}),
    input: `*${table}\n${lines.join('\n')}\nCOMMIT\n`,
  };
}

export function comment(options: PlanOptions, text: string): string {
  return `-m comment --comment ${quoteComment(`${options.commentTag}:${text}`)}`;
}

/** The options without hooks, for recomputing reference rules inside a hook. */
export function plain(options: PlanOptions): PlanOptions {
  const { hooks: _hooks, ...rest } = options;
  return rest;
}
