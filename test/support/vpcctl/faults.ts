import { cloneState, findSubnet, findVpc, type State } from '../../../src/vpcctl/model.js';
import { formatRule } from '../../../src/vpcctl/plan/chains.js';
import { forwardRules, postroutingRules } from '../../../src/vpcctl/plan/firewall.js';
import { IP_FORWARD } from '../../../src/vpcctl/plan/host.js';
import type { Plan, PlanOptions, Step } from '../../../src/vpcctl/plan/types.js';
import { ROUTER_NAMESPACE } from './router-namespace.js';
import { comment, mapChain, mapRules, plain, rawRules, ruleFor, type Variant } from './variant.js';

/**
 * The fault registry: each entry is one mistake students make, as data (what
 * it models, the criteria it must fail) plus the transform that injects it
 * into the reference's plans. docs/faults.md is the table of these.
 */

const isTeardown = (plan: Plan): boolean => plan.bestEffort === true;

function dropSteps(plan: Plan, unwanted: (step: Step) => boolean): Plan {
  return { ...plan, steps: plan.steps.filter((s) => !unwanted(s)) };
}

function linkDel(step: Step, names: ReadonlySet<string>): boolean {
  return (
    step.kind === 'ip' &&
    step.netns === undefined &&
    step.args[0] === 'link' &&
    step.args[1] === 'del' &&
    names.has(step.args[2] ?? '')
  );
}

/** The reference's FORWARD and POSTROUTING rules recomputed for a changed copy of the state. */
function rulesFor(state: State, options: PlanOptions) {
  return {
    forward: forwardRules(state, plain(options)),
    postrouting: postroutingRules(state, plain(options)),
  };
}

export const FAULTS: readonly Variant[] = [
  {
    name: 'nat-whole-vpc',
    kind: 'fault',
    mistake: 'NAT for the whole VPC: enable-nat masquerades and forwards the VPC CIDR, not the public subnet',
    change: 'FORWARD nat-egress and MASQUERADE rules match 10.0.0.0/16 instead of 10.0.1.0/24',
    fails: ['nat-private-blocked'],
    hooks: () => ({
      rootChains: (chains, state, options) => {
        const wide = cloneState(state);
        for (const vpc of wide.vpcs) for (const s of vpc.subnets) if (s.nat) s.cidr = vpc.cidr;
        const rules = rulesFor(wide, options);
        return mapRules(
          mapRules(chains, 'FORWARD', () => rules.forward),
          'POSTROUTING',
          () => rules.postrouting,
        );
      },
    }),
  },
  {
    name: 'nat-no-return-path',
    kind: 'fault',
    mistake:
      'public egress without a return path: FORWARD accepts the subnet out to eth0, nothing lets the replies back in',
    change: 'the RELATED,ESTABLISHED accepts are left out of FORWARD',
    fails: ['nat-public-egress', 'nat-private-blocked'],
    why: 'inside a VPC and across peering both directions have accept rules of their own, so only the internet replies are lost; with nothing in vpc1 reaching the internet, vpc1 private being blocked proves nothing',
    hooks: () => ({
      rootChains: (chains, _state, options) =>
        mapRules(chains, 'FORWARD', (rules) => rules.filter((r) => !ruleFor(r, options, /:replies$/))),
    }),
  },
  {
    name: 'nat-no-masquerade',
    kind: 'fault',
    mistake: 'enable-nat opens FORWARD to eth0 but never adds the MASQUERADE rule',
    change: 'the nat POSTROUTING chain is never created',
    fails: ['nat-public-egress', 'nat-private-blocked'],
    findings: ['unnatted-wan-leak'],
    why: 'packets leave with 10.0.1.2 as their source; the internet cannot route back to private space (a finding counts them); with nothing in vpc1 reaching the internet, vpc1 private being blocked proves nothing',
    hooks: () => ({
      rootChains: (chains) => mapChain(chains, 'POSTROUTING', (c) => ({ ...c, wanted: false, rules: [] })),
    }),
  },
  {
    name: 'masquerade-without-out-interface',
    kind: 'fault',
    mistake:
      'MASQUERADE without -o eth0 (as in the walkthrough): every packet of the public subnet is rewritten, inside the VPC and across peering too',
    change: 'the MASQUERADE rule loses its -o <wan>',
    fails: ['source-preserved'],
    failsWithBridgeNetfilter: ['intra-vpc-routing', 'isolation-default', 'peering-private-blocked'],
    why:
      'across the peering the receiver sees the gateway address instead of 10.0.1.2. Where bridged frames cross iptables ' +
      '(br_netfilter), vpc1 public -> vpc1 private breaks too: the reply, addressed to the gateway, is un-NATed while ' +
      "it is still being bridged and goes straight to the public subnet's port, which port isolation forbids; the " +
      'blocked checks from vpc1 public then have no positive control',
    hooks: () => ({
      rootChains: (chains) =>
        mapRules(chains, 'POSTROUTING', (rules) => rules.map((r) => r.replace(/ -o \S+/, ''))),
    }),
  },
  {
    name: 'no-isolation',
    kind: 'fault',
    mistake:
      'isolation missing: isolate-vpcs is accepted but adds nothing, and no rule drops what is not allowed (FORWARD policy ACCEPT does the rest)',
    change: 'the isolate DROPs and the default-deny DROPs are left out of FORWARD',
    fails: ['isolation-default', 'peering-private-blocked'],
    findings: ['unnatted-wan-leak'],
    why: "with nothing dropped, the host routes every pair between the VPCs, before peering and after it; the private subnet's packets also leave by eth0 un-NATed",
    hooks: () => ({
      rootChains: (chains, _state, options) =>
        mapRules(chains, 'FORWARD', (rules) =>
          rules.filter((r) => !ruleFor(r, options, /:isolate:|:default-deny$/)),
        ),
    }),
  },
  {
    name: 'peering-all-cidrs',
    kind: 'fault',
    mistake:
      'peering open to every CIDR: allow-cidr accepts the whole VPCs of --src and --dst, not the given subnets',
    change: 'allow-cidr rules match 10.0.0.0/16 <-> 10.1.0.0/16',
    fails: ['peering-private-blocked'],
    hooks: () => ({
      rootChains: (chains, state, options) => {
        const wide = cloneState(state);
        wide.allows = wide.allows.map((a) => ({
          ...a,
          src: findVpc(wide, a.srcVpc)?.cidr ?? a.src,
          dst: findVpc(wide, a.dstVpc)?.cidr ?? a.dst,
        }));
        return mapRules(chains, 'FORWARD', () => rulesFor(wide, options).forward);
      },
    }),
  },
  {
    name: 'one-way-allow',
    kind: 'fault',
    mistake:
      'one-way allow: allow-cidr keeps one rule per peering, so the second call (vpc2 -> vpc1) replaces the first',
    change: 'only the last allow-cidr pair between two VPCs gets a FORWARD rule',
    fails: ['peering-public', 'source-preserved'],
    why: 'vpc1 public -> vpc2 public is dropped; source-preserved rides on that TCP probe and cannot see a source that never arrived',
    hooks: () => ({
      rootChains: (chains, state, options) => {
        const last = cloneState(state);
        const key = (a: { srcVpc: string; dstVpc: string }) => [a.srcVpc, a.dstVpc].sort().join('|');
        last.allows = last.allows.filter((a, i) => !last.allows.slice(i + 1).some((b) => key(b) === key(a)));
        return mapRules(chains, 'FORWARD', () => rulesFor(last, options).forward);
      },
    }),
  },
  {
    name: 'allow-after-isolation',
    kind: 'fault',
    mistake:
      "peering allows appended after the isolation DROPs (the walkthrough's iptables -A order), so they never match",
    change: 'in FORWARD the isolate DROPs come before the allow-cidr ACCEPTs',
    fails: ['peering-public', 'peering-private-blocked', 'source-preserved'],
    why: 'source-preserved rides on the peering TCP probes, which never connect; with nothing crossing the peering, the private pairs being blocked proves nothing',
    hooks: () => ({
      rootChains: (chains, _state, options) =>
        mapRules(chains, 'FORWARD', (rules) => {
          const isolate = rules.filter((r) => ruleFor(r, options, /:isolate:/));
          const rest = rules.filter((r) => !isolate.includes(r));
          const at = rest.findIndex((r) => ruleFor(r, options, /:peering:/));
          return at < 0 ? rules : [...rest.slice(0, at), ...isolate, ...rest.slice(at)];
        }),
    }),
  },
  {
    name: 'policy-output-chain',
    kind: 'fault',
    mistake:
      'policy on the wrong chain: the ingress rules go to OUTPUT, where --dport 22 never matches an incoming connection',
    change: "the policy's ingress chain is hooked from OUTPUT instead of INPUT (-i lo becomes -o lo)",
    fails: ['policy-denied'],
    hooks: () => ({
      policyChains: (chains) =>
        mapChain(chains, 'INPUT', (c) => ({
          ...c,
          hook: 'OUTPUT',
          rules: c.rules.map((r) => r.replace(' -i lo ', ' -o lo ')),
        })),
    }),
  },
  {
    name: 'policy-wrong-namespace',
    kind: 'fault',
    mistake:
      "policy in the wrong namespace: the rules go to the host's INPUT, which forwarded traffic never crosses, and teardown never removes them",
    change: "apply-policy's iptables-restore runs in the root namespace instead of the subnet's",
    fails: ['policy-denied', 'teardown-clean'],
    why: 'the rules live in the host, outside everything teardown removes: they are left behind',
    hooks: () => ({
      plan: (plan) => ({
        ...plan,
        steps: plan.steps.map((s) =>
          s.kind === 'iptables-restore' && s.netns !== undefined ? { ...s, netns: undefined } : s,
        ),
      }),
    }),
  },
  {
    name: 'policy-blocks-everything',
    kind: 'fault',
    mistake:
      'policy that blocks everything: a catch-all DROP inserted above the rules (iptables -I), so the allow for port 80 never matches',
    change: "the policy's ingress chain starts with -j DROP",
    fails: ['policy-allowed', 'policy-denied'],
    why: 'policy-denied needs its positive control (HTTP to port 80 after the policy) to tell blocked from broken',
    hooks: () => ({
      policyChains: (chains, options) =>
        mapChain(chains, 'INPUT', (c) => ({
          ...c,
          rules: [`-A ${c.chain} ${comment(options, 'policy:ingress:block-all')} -j DROP`, ...c.rules],
        })),
    }),
  },
  {
    name: 'server-localhost',
    kind: 'fault',
    mistake: 'the app is bound to 127.0.0.1: it answers inside its own namespace only',
    change: 'deploy-http starts the server on 127.0.0.1 (and records that address)',
    fails: ['app-deployed', 'policy-allowed', 'policy-denied'],
    why: 'the policy criteria probe the app on port 80: nothing answers there from another subnet',
    hooks: () => ({
      plan: (plan) => {
        const starts = plan.steps.filter((s) => s.kind === 'start-http');
        if (starts.length === 0) return plan;
        const state = cloneState(plan.state);
        for (const start of starts) {
          const vpc = findVpc(state, start.vpc);
          const server = (vpc && findSubnet(vpc, start.subnet))?.servers.find((x) => x.port === start.port);
          if (server) server.address = '127.0.0.1';
        }
        return {
          ...plan,
          state,
          steps: plan.steps.map((s) => (s.kind === 'start-http' ? { ...s, address: '127.0.0.1' } : s)),
        };
      },
    }),
  },
  {
    name: 'no-default-route',
    kind: 'fault',
    mistake: 'missing default route: add-subnet gives the namespace its address but no route via the gateway',
    change: "add-subnet's `ip route add default via <gateway>` is left out",
    fails: [
      'vpc-created',
      'intra-vpc-routing',
      'app-deployed',
      'nat-public-egress',
      'nat-private-blocked',
      'isolation-default',
      'peering-public',
      'peering-private-blocked',
      'policy-allowed',
      'policy-denied',
      'source-preserved',
      'teardown-independent',
    ],
    why: 'no subnet reaches anything outside its own /24; every "blocked" criterion fails too, because its positive controls fail (a broken network proves no isolation)',
    hooks: () => ({
      plan: (plan) =>
        dropSteps(
          plan,
          (s) =>
            s.kind === 'ip' && s.netns !== undefined && s.args.slice(0, 3).join(' ') === 'route add default',
        ),
    }),
  },
  {
    name: 'intra-vpc-hardcoded',
    kind: 'fault',
    mistake:
      "allow-intra-vpc ignores its argument and allows the walkthrough's example, 10.0.0.0/16 on br-vpc1",
    change: 'the intra-VPC ACCEPT is always the literal vpc1 rule',
    fails: [
      'intra-vpc-routing',
      'isolation-default',
      'peering-private-blocked',
      'source-preserved',
      'teardown-independent',
    ],
    why: "vpc2's subnets cannot reach each other; the isolation and peering checks use them as positive controls, so their blocked readings do not count",
    hooks: () => ({
      rootChains: (chains, state, options) =>
        mapRules(chains, 'FORWARD', (rules) => {
          const rest = rules.filter((r) => !ruleFor(r, options, /:intra-vpc$/));
          if (!state.vpcs.some((v) => v.intraVpc)) return rest;
          const chain = chains.find((c) => c.hook === 'FORWARD')?.chain ?? '';
          const literal = formatRule(chain, {
            source: '10.0.0.0/16',
            destination: '10.0.0.0/16',
            inIf: 'br-vpc1',
            outIf: 'br-vpc1',
            comment: `${options.commentTag}:vpc1:intra-vpc`,
            target: 'ACCEPT',
          });
          const at = rest.filter((r) => ruleFor(r, options, /:replies$/)).length;
          return [...rest.slice(0, at), literal, ...rest.slice(at)];
        }),
    }),
  },
  {
    name: 'teardown-leaves-bridge',
    kind: 'fault',
    mistake: 'teardown leaves the bridge: namespaces and veths go, `ip link del br-<vpc>` is forgotten',
    change: "teardown-vpc's deletion of the bridge is left out",
    fails: ['teardown-clean'],
    why: 'the bridge keeps its gateway addresses and their routes; the other VPC is unaffected',
    hooks: () => ({
      plan: (plan, { prev }) =>
        isTeardown(plan) ? dropSteps(plan, (s) => linkDel(s, new Set(prev.vpcs.map((v) => v.bridge)))) : plan,
    }),
  },
  {
    name: 'teardown-leaves-rule',
    kind: 'fault',
    mistake:
      'teardown leaves a rule: enable-nat appends MASQUERADE straight to POSTROUTING and nothing ever deletes it',
    change: 'enable-nat also runs `iptables -t nat -A POSTROUTING -s <subnet> -o <wan> -j MASQUERADE`',
    fails: ['teardown-clean'],
    hooks: () => ({
      plan: (plan, { prev }) => {
        const added: Step[] = [];
        for (const vpc of plan.state.vpcs) {
          for (const s of vpc.subnets) {
            const before = findVpc(prev, vpc.name)?.subnets.find((x) => x.name === s.name);
            if (s.nat && !before?.nat) {
              added.push(rawRules('nat', [`-A POSTROUTING -s ${s.cidr} -o ${s.nat.wan} -j MASQUERADE`]));
            }
          }
        }
        return added.length === 0 ? plan : { ...plan, steps: [...plan.steps, ...added] };
      },
    }),
  },
  {
    name: 'teardown-leaves-process',
    kind: 'fault',
    mistake: 'teardown leaves a process: the HTTP server is never stopped and outlives its deleted namespace',
    change: "teardown-vpc's stop of the server is left out",
    fails: ['teardown-clean'],
    findings: ['leftover-process'],
    hooks: () => ({
      plan: (plan) => (isTeardown(plan) ? dropSteps(plan, (s) => s.kind === 'stop-process') : plan),
    }),
  },
  {
    name: 'teardown-leaves-peering',
    kind: 'fault',
    mistake:
      'teardown leaves the peering link: the veth pair between the bridges is forgotten (and dropped from the state)',
    change: "teardown-vpc's deletion of the peering veth is left out",
    fails: ['teardown-clean'],
    hooks: () => ({
      plan: (plan, { prev }) =>
        isTeardown(plan)
          ? dropSteps(plan, (s) => linkDel(s, new Set(prev.peerings.flatMap((p) => [p.linkA, p.linkB]))))
          : plan,
    }),
  },
  {
    name: 'teardown-disables-forwarding',
    kind: 'fault',
    mistake:
      'tearing down one VPC turns routing off for the host (sysctl net.ipv4.ip_forward=0) while another VPC still needs it',
    change: 'teardown-vpc ends with ip_forward=0 even when VPCs remain',
    fails: ['teardown-independent'],
    why: 'the final teardown puts ip_forward back anyway, so nothing is left behind',
    hooks: () => ({
      plan: (plan, { prev }) =>
        isTeardown(plan) && plan.state.vpcs.length > 0 && plan.state.vpcs.length < prev.vpcs.length
          ? { ...plan, steps: [...plan.steps, { kind: 'sysctl', key: IP_FORWARD, value: '0' }] }
          : plan,
    }),
  },
  {
    name: 'create-not-idempotent',
    kind: 'fault',
    mistake:
      'create-vpc is not idempotent: run again, it adds the bridge again and fails with "RTNETLINK answers: File exists"',
    change: 'create-vpc of an existing VPC runs `ip link add br-<vpc> type bridge`',
    fails: ['idempotent-create'],
    hooks: (ctx) => ({
      plan: (plan, { prev }) => {
        const vpc = prev.vpcs.find((v) => ctx.argv.includes(v.name));
        if (ctx.command !== 'create-vpc' || !vpc || plan.steps.length > 0) return plan;
        return { ...plan, steps: [{ kind: 'ip', args: ['link', 'add', vpc.bridge, 'type', 'bridge'] }] };
      },
    }),
  },
  {
    name: 'errors-exit-zero',
    kind: 'fault',
    mistake: 'errors are printed but the exit code stays 0 (echo "error"; return, instead of exit 1)',
    change: 'exit code 2 (bad input) becomes 0; the message is still printed',
    fails: ['rejects-bad-input'],
    wrap: async (_ctx, invoke) => {
      const code = await invoke();
      return code === 2 ? 0 : code;
    },
  },
  {
    name: 'inspect-prints-nothing',
    kind: 'fault',
    mistake: 'inspect writes its report to a log file, not to the terminal: it prints nothing',
    change: "inspect's output is discarded",
    fails: ['inspect-works'],
    wrap: (ctx, invoke) => invoke(ctx.command === 'inspect' ? { out: () => {} } : {}),
  },
];

/** Designs that differ from ours and are correct: each must pass every criterion. */
export const CORRECT_VARIANTS: readonly Variant[] = [
  {
    name: 'policy-reject',
    kind: 'correct',
    mistake: 'the policy denies with REJECT (a TCP reset) instead of DROP',
    change:
      "the policy's DROP targets become REJECT --reject-with tcp-reset (icmp-port-unreachable for non-TCP)",
    fails: [],
    findings: ['rejected-not-dropped'],
    hooks: () => ({
      policyChains: (chains) =>
        chains.map((c) => ({
          ...c,
          rules: c.rules.map((r) =>
            r.endsWith(' -j DROP')
              ? r.replace(
                  / -j DROP$/,
                  ` -j REJECT --reject-with ${r.includes(' -p tcp ') ? 'tcp-reset' : 'icmp-port-unreachable'}`,
                )
              : r,
          ),
        })),
    }),
  },
  {
    name: 'forward-policy-drop',
    kind: 'correct',
    mistake: 'FORWARD policy DROP plus explicit accepts, instead of DROP rules of its own',
    change:
      "the default-deny rules are left out; FORWARD's policy is DROP while a VPC exists (ACCEPT again after the last)",
    fails: [],
    hooks: () => ({
      rootChains: (chains, _state, options) =>
        mapRules(chains, 'FORWARD', (rules) => rules.filter((r) => !ruleFor(r, options, /:default-deny$/))),
      plan: (plan, { prev }) => {
        const policy = (value: string) => rawRules('filter', [`:FORWARD ${value} [0:0]`]);
        if (prev.vpcs.length === 0 && plan.state.vpcs.length > 0) {
          return { ...plan, steps: [policy('DROP'), ...plan.steps] };
        }
        if (prev.vpcs.length > 0 && plan.state.vpcs.length === 0) {
          // The host planner saw the DROP policy and kept the filter table; with ACCEPT back, it
          // goes if vpcctl created it (the executor checks it is empty at the last moment).
          const steps = plan.steps.filter((s) => s.kind !== 'nft-delete-table');
          const deletes = plan.steps.filter((s) => s.kind === 'nft-delete-table');
          const created = prev.baseline !== undefined && !prev.baseline.tables.includes('filter');
          if (created && !deletes.some((s) => s.kind === 'nft-delete-table' && s.table === 'filter')) {
            deletes.push({ kind: 'nft-delete-table', family: 'ip', table: 'filter' });
          }
          return { ...plan, steps: [...steps, policy('ACCEPT'), ...deletes] };
        }
        return plan;
      },
    }),
  },
  {
    name: 'seed-forward-egress',
    kind: 'correct',
    mistake:
      "the walkthrough's bridge-wide egress accept (-i br-vpc1 -o eth0): the private subnet's packets leave un-NATed, and only the internet's lack of a route back blocks them",
    change: 'the nat-egress ACCEPT loses its -s <public subnet>',
    fails: [],
    findings: ['unnatted-wan-leak'],
    why: 'The verifier counts this as a finding, not a failure: the private subnet is still blocked',
    hooks: () => ({
      rootChains: (chains, _state, options) =>
        mapRules(chains, 'FORWARD', (rules) =>
          rules.map((r) => (ruleFor(r, options, /:nat-egress$/) ? r.replace(/ -s \S+/, '') : r)),
        ),
    }),
  },
  ROUTER_NAMESPACE,
];

export const VARIANTS: readonly Variant[] = [...FAULTS, ...CORRECT_VARIANTS];

export function findVariant(name: string): Variant | undefined {
  return VARIANTS.find((v) => v.name === name);
}
