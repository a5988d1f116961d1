import type { CriterionId } from '../../model/criteria.js';
import type { ProbeSpec } from '../../model/evidence.js';
import type { Expectation, ProbeKind } from '../../model/probe.js';
import type { VpcPlan } from '../types.js';
import {
  APP_PORT,
  INTERNET,
  POLICY_DENIED_PORTS,
  PRIV1,
  PROBE_PORT,
  PUB1,
  PUB2,
  probeId,
  SUBNETS,
  VPC1,
  VPC2,
} from './lab.js';

/** The probe matrix of each stage, by stage id: which probe answers which criterion. */

interface ProbeOptions {
  port?: number;
  control?: boolean;
  criteria: CriterionId[];
}

function probe(
  stage: string,
  kind: ProbeKind,
  from: string,
  to: string,
  expected: Expectation,
  options: ProbeOptions,
): ProbeSpec {
  const port = kind === 'icmp' ? undefined : (options.port ?? PROBE_PORT);
  return {
    id: probeId(stage, kind, from, to, port),
    kind,
    from,
    to,
    ...(port === undefined ? {} : { port }),
    expected,
    control: options.control ?? false,
    criteria: options.criteria,
  };
}

/** ICMP and TCP (harness listener) between a VPC's public and private subnets, both ways. */
function intraVpc(
  stage: string,
  vpc: VpcPlan,
  options: { control: boolean; criteria: CriterionId[]; tcpCriteria?: CriterionId[] },
): ProbeSpec[] {
  const [pub, priv] = vpc.subnets;
  if (!pub || !priv) throw new Error(`VPC ${vpc.name} needs two subnets`);
  const specs: ProbeSpec[] = [];
  for (const [from, to] of [
    [pub.key, priv.key],
    [priv.key, pub.key],
  ] as const) {
    specs.push(probe(stage, 'icmp', from, to, 'allowed', options));
    specs.push(
      probe(stage, 'tcp', from, to, 'allowed', {
        control: options.control,
        criteria: [...options.criteria, ...(options.tcpCriteria ?? [])],
      }),
    );
  }
  return specs;
}

/** ICMP and TCP from each source to each destination, expecting `expected`. */
function pairs(
  stage: string,
  list: [string, string][],
  expected: Expectation,
  options: { control?: boolean; criteria: CriterionId[]; tcpCriteria?: CriterionId[] },
): ProbeSpec[] {
  return list.flatMap(([from, to]) => [
    probe(stage, 'icmp', from, to, expected, options),
    probe(stage, 'tcp', from, to, expected, {
      control: options.control,
      criteria: [...options.criteria, ...(options.tcpCriteria ?? [])],
    }),
  ]);
}

function crossVpcPairs(filter: (from: string, to: string) => boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const a of VPC1.subnets) {
    for (const b of VPC2.subnets) {
      if (filter(a.key, b.key)) out.push([a.key, b.key]);
      if (filter(b.key, a.key)) out.push([b.key, a.key]);
    }
  }
  return out;
}

export const isPrivate = (key: string) => SUBNETS.get(key)?.type === 'private';

/** TCP probes to the harness listener inside the lab also show whether the source address survived. */
function withSourcePreserved(spec: ProbeSpec): ProbeSpec {
  const inLab = spec.to !== INTERNET;
  const sameVpc = spec.from.split('/')[0] === spec.to.split('/')[0];
  const wanted =
    spec.kind === 'tcp' && spec.port === PROBE_PORT && spec.expected === 'allowed' && inLab && sameVpc;
  return wanted && !spec.criteria.includes('source-preserved')
    ? { ...spec, criteria: [...spec.criteria, 'source-preserved'] }
    : spec;
}

export const STAGE_PROBES: Record<string, ProbeSpec[]> = {
  'bad-input': [],
  vpc1: [
    ...intraVpc('vpc1', VPC1, { control: true, criteria: ['intra-vpc-routing'] }).map((spec) =>
      spec.from === PRIV1 ? { ...spec, criteria: [...spec.criteria, 'nat-private-blocked' as const] } : spec,
    ),
    probe('vpc1', 'http', PRIV1, PUB1, 'allowed', { port: APP_PORT, criteria: ['app-deployed'] }),
    probe('vpc1', 'icmp', PUB1, INTERNET, 'allowed', { criteria: ['nat-public-egress'] }),
    probe('vpc1', 'http', PUB1, INTERNET, 'allowed', { port: 80, criteria: ['nat-public-egress'] }),
    probe('vpc1', 'icmp', PRIV1, INTERNET, 'blocked', { criteria: ['nat-private-blocked'] }),
    probe('vpc1', 'http', PRIV1, INTERNET, 'blocked', { port: 80, criteria: ['nat-private-blocked'] }),
  ].map(withSourcePreserved),
  vpc2: [
    ...intraVpc('vpc2', VPC2, {
      control: true,
      criteria: ['intra-vpc-routing', 'isolation-default'],
      tcpCriteria: ['source-preserved'],
    }),
    ...intraVpc('vpc2', VPC1, { control: true, criteria: ['isolation-default'] }),
    ...pairs(
      'vpc2',
      crossVpcPairs(() => true),
      'blocked',
      { criteria: ['isolation-default'] },
    ),
  ],
  peering: [
    // Intra-VPC controls from every subnet: plugging the peering link into a
    // bridge can change its MAC, and every namespace must have re-learnt its
    // gateway before a "blocked" reading means anything.
    ...intraVpc('peering', VPC1, { control: true, criteria: ['peering-private-blocked'] }),
    ...intraVpc('peering', VPC2, { control: true, criteria: ['peering-private-blocked'] }),
    ...pairs(
      'peering',
      [
        [PUB1, PUB2],
        [PUB2, PUB1],
      ],
      'allowed',
      { criteria: ['peering-public'], tcpCriteria: ['source-preserved'] },
    ),
    ...pairs(
      'peering',
      crossVpcPairs((from, to) => isPrivate(from) || isPrivate(to)),
      'blocked',
      { criteria: ['peering-private-blocked'] },
    ),
  ],
  'policy-before': POLICY_DENIED_PORTS.map((port) =>
    probe('policy-before', 'tcp', PRIV1, PUB1, 'allowed', {
      port,
      control: true,
      criteria: ['policy-denied'],
    }),
  ),
  'policy-after': [
    // The control: the same source still reaches the same host through the policy.
    probe('policy-after', 'http', PRIV1, PUB1, 'allowed', {
      port: APP_PORT,
      control: true,
      criteria: ['policy-allowed', 'policy-denied'],
    }),
    ...POLICY_DENIED_PORTS.map((port) =>
      probe('policy-after', 'tcp', PRIV1, PUB1, 'blocked', { port, criteria: ['policy-denied'] }),
    ),
  ],
  inspect: [],
  'teardown-vpc1': intraVpc('teardown-vpc1', VPC2, { control: true, criteria: ['teardown-independent'] }),
  'teardown-vpc2': [],
};
