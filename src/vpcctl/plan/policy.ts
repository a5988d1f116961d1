import { parseCidr } from '../../util/cidr.js';
import { VpcError } from '../../util/errors.js';
import {
  cloneState,
  findSubnet,
  findVpc,
  type PolicyAction,
  type PolicyRecord,
  type PolicyRuleRecord,
  type State,
  type SubnetRecord,
  type VpcRecord,
} from '../model.js';
import { validateWith } from '../schema/validate.js';
import { formatRule, type ManagedChain, reconcileChains, restoreInput } from './chains.js';
import type { Draft } from './compose.js';
import type { IptablesSnapshot } from './iptables.js';
import { requireSubnet } from './lookup.js';
import type { PlanOptions } from './types.js';

/** The policy file as the schema describes it. */
interface PolicyRuleDoc {
  protocol: PolicyRuleRecord['protocol'];
  port?: number | string;
  action: PolicyAction;
  source?: string;
  destination?: string;
  description?: string;
}

interface PolicyDoc {
  subnet: string;
  ingress?: PolicyRuleDoc[];
  egress?: PolicyRuleDoc[];
  default?: { ingress?: PolicyAction; egress?: PolicyAction };
}

export interface ParsedPolicy {
  /** Canonical CIDR of the subnet the policy is for. */
  subnet: string;
  ingress: PolicyRuleRecord[];
  egress: PolicyRuleRecord[];
  defaultIngress: PolicyAction;
  defaultEgress: PolicyAction;
}

function policyError(file: string, problems: string[]): VpcError {
  const shown = problems.slice(0, 10);
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
  return new VpcError('E_SCHEMA', `policy file ${file} is not valid:\n  ${shown.join('\n  ')}${more}`, {
    hint: 'see docs/vpcctl.md ("Policy format") or src/vpcctl/policy.schema.json',
  });
}

function normalizeRule(
  rule: PolicyRuleDoc,
  path: string,
  cidrKey: 'source' | 'destination',
  problems: string[],
): PolicyRuleRecord | undefined {
  const out: PolicyRuleRecord = { protocol: rule.protocol, action: rule.action };
  if (rule.port !== undefined) {
    if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') {
      problems.push(
        `${path}/port: a port only applies to tcp and udp (protocol is ${JSON.stringify(rule.protocol)})`,
      );
      return undefined;
    }
    let from: number;
    let to: number;
    if (typeof rule.port === 'number') {
      from = rule.port;
      to = rule.port;
    } else {
      const [a = '', b = ''] = rule.port.split('-');
      from = Number(a);
      to = Number(b);
      if (from < 1 || to > 65535 || from > to) {
        problems.push(
          `${path}/port: ${JSON.stringify(rule.port)} is not a range of ports (need 1 <= FIRST <= LAST <= 65535)`,
        );
        return undefined;
      }
    }
    out.fromPort = from;
    out.toPort = to;
  }
  const cidrText = rule[cidrKey];
  if (cidrText !== undefined) {
    try {
      out.cidr = parseCidr(cidrText).text;
    } catch (error) {
      problems.push(`${path}/${cidrKey}: ${(error as Error).message}`);
      return undefined;
    }
  }
  if (rule.description !== undefined) out.description = rule.description;
  return out;
}

/** Validate (schema, then meaning) a parsed policy document. `file` names it in errors. */
export function parsePolicy(data: unknown, file: string): ParsedPolicy {
  const result = validateWith('policy', data);
  if (!result.ok) throw policyError(file, result.problems);
  const doc = data as PolicyDoc;
  const problems: string[] = [];
  let subnet = doc.subnet;
  try {
    subnet = parseCidr(doc.subnet).text;
  } catch (error) {
    problems.push(`/subnet: ${(error as Error).message}`);
  }
  const ingress = (doc.ingress ?? []).map((r, i) => normalizeRule(r, `/ingress/${i}`, 'source', problems));
  const egress = (doc.egress ?? []).map((r, i) => normalizeRule(r, `/egress/${i}`, 'destination', problems));
  if (problems.length > 0) throw policyError(file, problems);
  return {
    subnet,
    ingress: ingress.filter((r): r is PolicyRuleRecord => r !== undefined),
    egress: egress.filter((r): r is PolicyRuleRecord => r !== undefined),
    defaultIngress: doc.default?.ingress ?? 'allow',
    defaultEgress: doc.default?.egress ?? 'allow',
  };
}

export function ingressChainName(options: PlanOptions): string {
  return `${options.chainPrefix}-INGRESS`;
}

export function egressChainName(options: PlanOptions): string {
  return `${options.chainPrefix}-EGRESS`;
}

function target(action: PolicyAction): string {
  return action === 'allow' ? 'ACCEPT' : 'DROP';
}

function ruleMatches(rule: PolicyRuleRecord): { protocol?: string; matches: string[] } {
  if (rule.protocol === 'all') return { matches: [] };
  if (rule.protocol === 'icmp') return { protocol: 'icmp', matches: [] };
  const matches = [`-m ${rule.protocol}`];
  if (rule.fromPort !== undefined && rule.toPort !== undefined) {
    const ports = rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}:${rule.toPort}`;
    matches.push(`--dport ${ports}`);
  }
  return { protocol: rule.protocol, matches: [...matches] };
}

/**
 * Chains inside the subnet's namespace: loopback and replies to allowed
 * connections first (a policy never cuts the host off its own answers), then
 * the rules in file order (first match wins), then the default action.
 */
export function policyRules(
  policy: ParsedPolicy | PolicyRecord,
  options: PlanOptions,
): { ingress: string[]; egress: string[] } {
  const tag = options.commentTag;
  const build = (
    chain: string,
    direction: 'ingress' | 'egress',
    rules: PolicyRuleRecord[],
    fallback: PolicyAction,
  ): string[] => {
    const lo = direction === 'ingress' ? { inIf: 'lo' } : { outIf: 'lo' };
    const out = [
      formatRule(chain, { ...lo, comment: `${tag}:policy:loopback`, target: 'ACCEPT' }),
      formatRule(chain, {
        matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'],
        comment: `${tag}:policy:replies`,
        target: 'ACCEPT',
      }),
    ];
    rules.forEach((rule, i) => {
      const peer = direction === 'ingress' ? { source: rule.cidr } : { destination: rule.cidr };
      out.push(
        formatRule(chain, {
          ...peer,
          ...ruleMatches(rule),
          comment: `${tag}:policy:${direction}:${i + 1}`,
          target: target(rule.action),
        }),
      );
    });
    out.push(formatRule(chain, { comment: `${tag}:policy:${direction}:default`, target: target(fallback) }));
    return out;
  };
  return {
    ingress: build(ingressChainName(options), 'ingress', policy.ingress, policy.defaultIngress),
    egress: build(egressChainName(options), 'egress', policy.egress, policy.defaultEgress),
  };
}

export function policyChains(
  policy: ParsedPolicy | PolicyRecord | undefined,
  options: PlanOptions,
): ManagedChain[] {
  const rules = policy ? policyRules(policy, options) : { ingress: [], egress: [] };
  const chains: ManagedChain[] = [
    {
      table: 'filter',
      chain: ingressChainName(options),
      hook: 'INPUT',
      wanted: policy !== undefined,
      rules: rules.ingress,
    },
    {
      table: 'filter',
      chain: egressChainName(options),
      hook: 'OUTPUT',
      wanted: policy !== undefined,
      rules: rules.egress,
    },
  ];
  return options.hooks?.policyChains?.(chains, options) ?? chains;
}

/** The subnet a policy applies to: the one named, or else the one whose CIDR the policy names. */
export function policyTarget(
  state: State,
  policy: ParsedPolicy,
  input: { vpc?: string; subnet?: string },
  file: string,
): { vpc: VpcRecord; subnet: SubnetRecord } {
  if (input.vpc !== undefined && input.subnet !== undefined) {
    const found = requireSubnet(state, input.vpc, input.subnet);
    if (found.subnet.cidr !== policy.subnet) {
      throw new VpcError(
        'E_BAD_INPUT',
        `policy file ${file}: /subnet is ${JSON.stringify(policy.subnet)} but subnet ${found.vpc.name}/${found.subnet.name} is ${found.subnet.cidr}`,
        {
          hint: 'a policy names the subnet it was written for; fix "subnet" in the file or the --vpc/--subnet you gave',
        },
      );
    }
    return found;
  }
  if (input.vpc !== undefined || input.subnet !== undefined) {
    throw new VpcError(
      'E_BAD_INPUT',
      'give both --vpc and --subnet, or neither (the subnet is then found by its CIDR)',
    );
  }
  for (const vpc of state.vpcs) {
    const subnet = vpc.subnets.find((s) => s.cidr === policy.subnet);
    if (subnet) return { vpc, subnet };
  }
  throw new VpcError('E_NOT_FOUND', `policy file ${file}: no subnet has CIDR ${policy.subnet} (/subnet)`, {
    hint: 'create the subnet first, or give --vpc and --subnet',
  });
}

/**
 * Applying replaces the subnet's previous policy as a whole (the chains are
 * rewritten, never appended to), in one iptables-restore transaction.
 */
export function planApplyPolicy(
  state: State,
  nsSnapshot: IptablesSnapshot,
  target: { vpc: VpcRecord; subnet: SubnetRecord },
  policy: ParsedPolicy,
  file: string,
  options: PlanOptions,
): Draft {
  const { vpc, subnet } = target;
  const record: PolicyRecord = {
    file,
    appliedAt: options.now,
    ingress: policy.ingress,
    egress: policy.egress,
    defaultIngress: policy.defaultIngress,
    defaultEgress: policy.defaultEgress,
  };
  const changes = reconcileChains(policyChains(record, options), nsSnapshot, options.commentTag);
  const next = cloneState(state);
  const nextSubnet = findSubnet(findVpc(next, vpc.name) ?? vpc, subnet.name);
  if (nextSubnet) nextSubnet.policy = record;
  const summary = (direction: string, rules: PolicyRuleRecord[], fallback: PolicyAction): string =>
    `${direction}: ${[...rules.map(describeRule), `default ${fallback}`].join(', ')}`;
  return {
    state: next,
    topology:
      changes.size === 0
        ? []
        : [{ kind: 'iptables-restore', netns: subnet.netns, input: restoreInput(changes) }],
    rollback: [],
    messages: [
      `policy ${file} applied to ${vpc.name}/${subnet.name} (${subnet.netns}); ${summary('ingress', policy.ingress, policy.defaultIngress)}; ${summary('egress', policy.egress, policy.defaultEgress)}`,
    ],
    order: 'build',
  };
}

export function describeRule(rule: PolicyRuleRecord): string {
  const ports =
    rule.fromPort === undefined
      ? ''
      : rule.fromPort === rule.toPort
        ? `/${rule.fromPort}`
        : `/${rule.fromPort}-${rule.toPort}`;
  const peer = rule.cidr ? ` ${rule.cidr}` : '';
  return `${rule.protocol}${ports}${peer} ${rule.action}`;
}
