import type { State } from '../model.js';
import { formatRule, type ManagedChain } from './chains.js';
import type { PlanOptions } from './types.js';

/**
 * The host router's rules, derived from the whole state.
 *
 * filter/<P>-FORWARD (hooked first in FORWARD) decides every packet that
 * enters or leaves a VPC bridge, so the result never depends on the FORWARD
 * policy or on other tools' rules:
 *   1. replies to connections that were allowed (conntrack);
 *   2. allow-intra-vpc: subnet to subnet inside one VPC;
 *   3. enable-nat: the named subnet out of the WAN interface only;
 *   4. allow-cidr: NEW connections across a peering, per given direction;
 *   5. isolate-vpcs: explicit DROP between the two CIDRs;
 *   6. everything else in or out of a VPC bridge: DROP (so a private subnet's
 *      packets never leave by the WAN, NATed or not).
 * Packets that touch no VPC bridge fall through untouched.
 *
 * nat/<P>-POSTROUTING (hooked first in POSTROUTING) masquerades only the
 * subnets named in enable-nat, and only out of their WAN interface, so
 * traffic inside a VPC and across peering keeps its source address.
 */
export function forwardChainName(options: PlanOptions): string {
  return `${options.chainPrefix}-FORWARD`;
}

export function postroutingChainName(options: PlanOptions): string {
  return `${options.chainPrefix}-POSTROUTING`;
}

export function forwardRules(state: State, options: PlanOptions): string[] {
  const chain = forwardChainName(options);
  const tag = options.commentTag;
  const rules: string[] = [];
  for (const vpc of state.vpcs) {
    rules.push(
      formatRule(chain, {
        outIf: vpc.bridge,
        matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'],
        comment: `${tag}:${vpc.name}:replies`,
        target: 'ACCEPT',
      }),
    );
  }
  for (const vpc of state.vpcs) {
    if (!vpc.intraVpc) continue;
    rules.push(
      formatRule(chain, {
        source: vpc.cidr,
        destination: vpc.cidr,
        inIf: vpc.bridge,
        outIf: vpc.bridge,
        comment: `${tag}:${vpc.name}:intra-vpc`,
        target: 'ACCEPT',
      }),
    );
  }
  for (const vpc of state.vpcs) {
    for (const subnet of vpc.subnets) {
      if (!subnet.nat) continue;
      rules.push(
        formatRule(chain, {
          source: subnet.cidr,
          inIf: vpc.bridge,
          outIf: subnet.nat.wan,
          comment: `${tag}:${vpc.name}/${subnet.name}:nat-egress`,
          target: 'ACCEPT',
        }),
      );
    }
  }
  for (const allow of state.allows) {
    const src = state.vpcs.find((v) => v.name === allow.srcVpc);
    const dst = state.vpcs.find((v) => v.name === allow.dstVpc);
    if (!src || !dst) continue;
    rules.push(
      formatRule(chain, {
        source: allow.src,
        destination: allow.dst,
        inIf: src.bridge,
        outIf: dst.bridge,
        comment: `${tag}:peering:${src.name}->${dst.name}`,
        target: 'ACCEPT',
      }),
    );
  }
  for (const iso of state.isolations) {
    const comment = `${tag}:isolate:${iso.vpcA}/${iso.vpcB}`;
    rules.push(formatRule(chain, { source: iso.cidrA, destination: iso.cidrB, comment, target: 'DROP' }));
    rules.push(formatRule(chain, { source: iso.cidrB, destination: iso.cidrA, comment, target: 'DROP' }));
  }
  for (const vpc of state.vpcs) {
    const comment = `${tag}:${vpc.name}:default-deny`;
    rules.push(formatRule(chain, { inIf: vpc.bridge, comment, target: 'DROP' }));
    rules.push(formatRule(chain, { outIf: vpc.bridge, comment, target: 'DROP' }));
  }
  return rules;
}

export function postroutingRules(state: State, options: PlanOptions): string[] {
  const chain = postroutingChainName(options);
  const rules: string[] = [];
  for (const vpc of state.vpcs) {
    for (const subnet of vpc.subnets) {
      if (!subnet.nat) continue;
      rules.push(
        formatRule(chain, {
          source: subnet.cidr,
          outIf: subnet.nat.wan,
          comment: `${options.commentTag}:${vpc.name}/${subnet.name}:masquerade`,
          target: 'MASQUERADE',
        }),
      );
    }
  }
  return rules;
}

/** The root namespace's managed chains for this state (unwanted ones are removed). */
export function rootChains(state: State, options: PlanOptions): ManagedChain[] {
  const nat = postroutingRules(state, options);
  const chains: ManagedChain[] = [
    {
      table: 'filter',
      chain: forwardChainName(options),
      hook: 'FORWARD',
      wanted: state.vpcs.length > 0,
      rules: forwardRules(state, options),
    },
    {
      table: 'nat',
      chain: postroutingChainName(options),
      hook: 'POSTROUTING',
      wanted: nat.length > 0,
      rules: nat,
    },
  ];
  return options.hooks?.rootChains?.(chains, state, options) ?? chains;
}
