import type { StepName } from '../profiles/index.js';
import type { Slot } from './usage.js';

/**
 * What the words of a command and its arguments mean: which lab step a
 * command is (by its words: `create-vpc`, `vpc create`, `--create-vpc`) and
 * which placeholder each argument takes (by its metavar or flag name, or for
 * a README example by its value).
 */

/** The steps init looks for, in the lab's order. */
export const INIT_STEPS = [
  'createVpc',
  'addSubnet',
  'allowIntraVpc',
  'enableNat',
  'deployHttp',
  'isolateVpcs',
  'peerVpcs',
  'allowCidr',
  'applyPolicy',
  'inspect',
  'teardownVpc',
] as const satisfies readonly StepName[];
export type InitStep = (typeof INIT_STEPS)[number];

function split(words: string[]): string[] {
  return words.flatMap((w) => w.replace(/^-+/, '').split(/[-_\s]+/)).filter(Boolean);
}

const has = (parts: string[], ...any: string[]) => parts.some((p) => any.includes(p));

/** The step a command's words name, or undefined. `lone` says a bare `create` may be the one create of a VPC. */
export function stepOf(words: string[]): InitStep | undefined {
  const p = split(words);
  if (has(p, 'un', 'unpeer', 'disable', 'help', 'version', 'unset', 'deny', 'revoke')) return undefined;
  if (has(p, 'intra') || (has(p, 'vpc') && has(p, 'open', 'allow', 'enable'))) return 'allowIntraVpc';
  if (has(p, 'nat', 'masquerade', 'snat')) return 'enableNat';
  if (has(p, 'peer', 'peering', 'connect', 'link')) return 'peerVpcs';
  if (has(p, 'isolate', 'isolation')) return 'isolateVpcs';
  if (has(p, 'deploy', 'http', 'serve', 'web', 'server')) return 'deployHttp';
  if (has(p, 'policy', 'firewall', 'sg', 'security', 'rules')) return 'applyPolicy';
  if (has(p, 'allow') && !has(p, 'vpc')) return 'allowCidr';
  if (has(p, 'inspect', 'show', 'list', 'status', 'ls', 'describe')) return 'inspect';
  const removal = has(p, 'teardown', 'delete', 'destroy', 'remove', 'rm', 'down', 'del', 'cleanup');
  if (has(p, 'subnet'))
    return removal ? undefined : has(p, 'add', 'create', 'new', 'make', 'subnet') ? 'addSubnet' : undefined;
  if (removal) return 'teardownVpc';
  if (has(p, 'create', 'add', 'new', 'make', 'up', 'init', 'build')) return 'createVpc';
  return undefined;
}

const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/(\d{1,2})$/;

/** A README example's value: what it most likely stands for in `step`. */
function byExample(step: InitStep, value: string, index: number): string | undefined {
  const cidr = CIDR.exec(value);
  if (cidr) {
    if (step === 'allowCidr') return index === 0 ? 'src' : 'dst';
    if (step === 'isolateVpcs' || step === 'peerVpcs') return index === 0 ? 'cidrA' : 'cidrB';
    if (step === 'createVpc')
      return Number(cidr[2]) <= 16 ? 'cidr' : index <= 1 ? 'publicCidr' : 'privateCidr';
    return 'cidr';
  }
  if (/^\d+$/.test(value)) return 'port';
  if (/^(eth|ens|enp|wlan|veth)\d*/.test(value)) return 'wan';
  if (/\.(json|ya?ml|txt|conf)$/.test(value)) return 'policyFile';
  if (/^(public|private)$/.test(value)) return 'type';
  if (/^br-/.test(value)) return index === 0 ? 'bridgeA' : 'bridgeB';
  if (/^vpc/.test(value)) {
    if (step === 'peerVpcs' || step === 'isolateVpcs' || step === 'allowCidr')
      return index === 0 ? 'vpcA' : 'vpcB';
    return 'vpc';
  }
  if (/^[a-z][\w-]*$/.test(value)) return step === 'createVpc' || step === 'teardownVpc' ? 'vpc' : 'subnet';
  return undefined;
}

/**
 * The placeholder (without braces) for a slot of `step`. `seen` counts the
 * names met so far, so a second `vpc` or `cidr` becomes `vpcB` / `cidrB`.
 */
export function placeholderOf(step: InitStep, slot: Slot, seen: Map<string, number>): string | undefined {
  const raw = slot.name.replace(/[_\s]+/g, '-');
  const count = seen.get(raw) ?? 0;
  seen.set(raw, count + 1);
  if (raw === '' && slot.example !== undefined)
    return byExample(step, slot.example, count + (seen.get('') ?? 1) - 1);
  const pair = (a: string, b: string) => (count === 0 ? a : b);
  const n = raw.replace(/-/g, '');
  const suffix = /(?:^|-)(a|1|first|src|left)$/.test(raw)
    ? 'A'
    : /(?:^|-)(b|2|second|dst|right|peer)$/.test(raw)
      ? 'B'
      : '';
  const base = raw.replace(/-?(a|b|1|2|first|second|left|right)$/, '').replace(/-/g, '');
  if (step === 'peerVpcs' || step === 'isolateVpcs') {
    if (/^(vpc|name)/.test(base)) return suffix ? `vpc${suffix}` : pair('vpcA', 'vpcB');
    if (/^(bridge|br)/.test(base)) return suffix ? `bridge${suffix}` : pair('bridgeA', 'bridgeB');
    if (/cidr|net|block/.test(base)) return suffix ? `cidr${suffix}` : pair('cidrA', 'cidrB');
    return undefined;
  }
  if (step === 'allowCidr') {
    if (/^(src|source|from)/.test(n)) return 'src';
    if (/^(dst|dest|destination|to)/.test(n)) return 'dst';
    if (/cidr/.test(n)) return pair('src', 'dst');
    return undefined;
  }
  if (/^(wan|iface|interface|if|uplink|dev|device|out|ext|external|egress)/.test(n)) return 'wan';
  if (/^port/.test(n)) return 'port';
  if (/^(file|policy|path|rules|json|config)/.test(n))
    return step === 'applyPolicy' ? 'policyFile' : undefined;
  if (/^(public|private)/.test(n) && /public.*private|private.*public/.test(n)) return 'type';
  if (/^(type|kind|access|tier)/.test(n)) return 'type';
  if (step === 'createVpc') {
    if (/^(pub|public)/.test(n)) return 'publicCidr';
    if (/^(priv|private)/.test(n)) return 'privateCidr';
    if (/^(name|vpc|id)/.test(n)) return 'vpc';
    if (/cidr|block|net|range/.test(n)) return 'cidr';
    return undefined;
  }
  if (step === 'addSubnet') {
    if (/^vpc/.test(n)) return 'vpc';
    if (/^(name|subnet|id)/.test(n)) return count === 0 && raw === 'subnet' ? 'subnet' : 'subnet';
    if (/cidr|block|net|range/.test(n)) return 'cidr';
    return undefined;
  }
  if (step === 'teardownVpc' || step === 'allowIntraVpc') {
    if (/^(name|vpc|id)/.test(n)) return 'vpc';
    if (/cidr/.test(n)) return 'cidr';
    return undefined;
  }
  // enableNat, deployHttp, applyPolicy: a VPC and one of its subnets.
  if (/^vpc/.test(n)) return 'vpc';
  if (/^(subnet|name|sub)/.test(n)) return 'subnet';
  if (/cidr/.test(n)) return 'cidr';
  return undefined;
}

/** What a step's command must be given; a candidate missing one of these cannot be right. */
export const NEEDS: Record<InitStep, string[][]> = {
  createVpc: [['vpc', 'cidr']],
  addSubnet: [
    ['vpc', 'subnet', 'cidr'],
    ['vpc', 'cidr'],
  ],
  allowIntraVpc: [['vpc'], ['cidr'], []],
  enableNat: [
    ['vpc', 'subnet', 'wan'],
    ['vpc', 'subnet'],
    ['vpc', 'wan'],
    ['cidr', 'wan'],
    ['vpc'],
    ['cidr'],
  ],
  deployHttp: [['vpc', 'subnet', 'port'], ['vpc', 'subnet'], ['cidr', 'port'], ['cidr']],
  isolateVpcs: [
    ['cidrA', 'cidrB'],
    ['vpcA', 'vpcB'],
    ['bridgeA', 'bridgeB'],
  ],
  peerVpcs: [
    ['bridgeA', 'bridgeB'],
    ['vpcA', 'vpcB'],
    ['cidrA', 'cidrB'],
  ],
  allowCidr: [['src', 'dst']],
  applyPolicy: [['vpc', 'subnet', 'policyFile'], ['policyFile']],
  inspect: [[]],
  teardownVpc: [['vpc'], ['cidr']],
};

/** The order flags are written in (positionals keep the tool's order). */
export const FLAG_ORDER = [
  'vpc',
  'vpcA',
  'vpcB',
  'bridgeA',
  'bridgeB',
  'subnet',
  'cidr',
  'publicCidr',
  'privateCidr',
  'cidrA',
  'cidrB',
  'src',
  'dst',
  'type',
  'wan',
  'port',
  'policyFile',
];
