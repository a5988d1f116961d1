import type { CriterionId } from '../model/criteria.js';
import type { PhaseId, ProbeSpec } from '../model/evidence.js';
import type { Expectation, ProbeKind } from '../model/probe.js';
import type { LabPlan, LabStep, PhasePlan, PlannedStep, SubnetPlan, VpcPlan } from './types.js';

/**
 * The Stage 4 lab (DESIGN.md "The Stage 4 lab") as data: what the lab runner
 * does, in order, and which probe answers which criterion.
 */

export const PUB1 = 'vpc1/publicsub';
export const PRIV1 = 'vpc1/privatesub';
export const PUB2 = 'vpc2/publicsub';
export const PRIV2 = 'vpc2/privatesub';
export const INTERNET = 'internet';

const APP_PORT = 80;
const PROBE_PORT = 7070;
const POLICY_DENIED_PORTS = [22, 443];

function subnet(vpc: string, name: string, cidr: string, type: 'public' | 'private'): SubnetPlan {
  return { key: `${vpc}/${name}`, vpc, name, cidr, type, label: `${vpc} ${type}` };
}

const VPC1: VpcPlan = {
  name: 'vpc1',
  cidr: '10.0.0.0/16',
  subnets: [
    subnet('vpc1', 'publicsub', '10.0.1.0/24', 'public'),
    subnet('vpc1', 'privatesub', '10.0.2.0/24', 'private'),
  ],
};
const VPC2: VpcPlan = {
  name: 'vpc2',
  cidr: '10.1.0.0/16',
  subnets: [
    subnet('vpc2', 'publicsub', '10.1.1.0/24', 'public'),
    subnet('vpc2', 'privatesub', '10.1.2.0/24', 'private'),
  ],
};
const SUBNETS = new Map([...VPC1.subnets, ...VPC2.subnets].map((s) => [s.key, s]));

export function probeId(stage: string, kind: ProbeKind, from: string, to: string, port?: number): string {
  return `${stage}:${kind}:${from}->${to}${port === undefined ? '' : `:${port}`}`;
}

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

const isPrivate = (key: string) => SUBNETS.get(key)?.type === 'private';

function createVpc(vpc: VpcPlan, title: string, check?: PlannedStep['check']): PlannedStep {
  const [pub, priv] = vpc.subnets;
  return {
    step: 'createVpc',
    vars: {
      vpc: vpc.name,
      cidr: vpc.cidr,
      publicSubnet: pub?.name ?? '',
      publicCidr: pub?.cidr ?? '',
      privateSubnet: priv?.name ?? '',
      privateCidr: priv?.cidr ?? '',
    },
    title,
    ...(check ? { check } : {}),
  };
}

function addSubnet(vpc: VpcPlan, s: SubnetPlan): PlannedStep {
  return {
    step: 'addSubnet',
    vars: { vpc: vpc.name, vpcCidr: vpc.cidr, subnet: s.name, cidr: s.cidr, type: s.type },
    title: `add ${s.type} subnet ${s.name} ${s.cidr} to ${vpc.name}`,
  };
}

function allowIntraVpc(vpc: VpcPlan): PlannedStep {
  return {
    step: 'allowIntraVpc',
    vars: { vpc: vpc.name, cidr: vpc.cidr },
    title: `allow traffic inside ${vpc.name}`,
  };
}

function teardownVpc(vpc: string, cidr: string, title: string, cleanup = false): PlannedStep {
  return { step: 'teardownVpc', vars: { vpc, cidr }, title, ...(cleanup ? { cleanup: true } : {}) };
}

/** A check that a bad input is rejected, then (at once) the clean-up of whatever it might have made. */
function rejectCheck(step: PlannedStep, cleanupVpc: { vpc: string; cidr: string }): PlannedStep[] {
  return [
    { ...step, check: { want: 'reject', criterion: 'rejects-bad-input' } },
    teardownVpc(cleanupVpc.vpc, cleanupVpc.cidr, `clean up ${cleanupVpc.vpc} in case it was accepted`, true),
  ];
}

const BAD_INPUT_VPC: VpcPlan = {
  name: 'vchk',
  cidr: '10.9.0.0/16',
  subnets: [],
};

const badInput: PhasePlan = {
  id: 'bad-input',
  title: 'Bad input is rejected (run first, cleaned up at once)',
  stages: [
    {
      id: 'bad-input',
      title: 'bad CIDRs, a subnet outside its VPC, an unknown VPC',
      expectSubnets: [],
      probes: [],
      steps: [
        ...rejectCheck(
          {
            step: 'createVpc',
            vars: { vpc: 'vbad1', cidr: '10.0.0.0/33' },
            title: 'create-vpc with a prefix longer than 32 (10.0.0.0/33)',
          },
          { vpc: 'vbad1', cidr: '10.0.0.0/33' },
        ),
        ...rejectCheck(
          {
            step: 'createVpc',
            vars: { vpc: 'vbad2', cidr: '256.1.0.0/16' },
            title: 'create-vpc with an octet over 255 (256.1.0.0/16)',
          },
          { vpc: 'vbad2', cidr: '256.1.0.0/16' },
        ),
        ...rejectCheck(
          {
            step: 'createVpc',
            vars: { vpc: 'vbad3', cidr: 'not-a-cidr' },
            title: 'create-vpc with a CIDR that is not one (not-a-cidr)',
          },
          { vpc: 'vbad3', cidr: 'not-a-cidr' },
        ),
        // The positive control of this phase: the target accepts a valid VPC.
        {
          step: 'createVpc',
          vars: { vpc: BAD_INPUT_VPC.name, cidr: BAD_INPUT_VPC.cidr },
          title: `create a valid VPC ${BAD_INPUT_VPC.name} ${BAD_INPUT_VPC.cidr} (to add a bad subnet to)`,
        },
        {
          step: 'addSubnet',
          vars: {
            vpc: BAD_INPUT_VPC.name,
            vpcCidr: BAD_INPUT_VPC.cidr,
            subnet: 'outside',
            cidr: '10.8.1.0/24',
            type: 'private',
          },
          title: `add-subnet 10.8.1.0/24, outside its VPC ${BAD_INPUT_VPC.cidr}`,
          check: { want: 'reject', criterion: 'rejects-bad-input' },
        },
        teardownVpc(BAD_INPUT_VPC.name, BAD_INPUT_VPC.cidr, `remove ${BAD_INPUT_VPC.name}`, true),
        ...rejectCheck(
          {
            step: 'addSubnet',
            vars: {
              vpc: 'nosuchvpc',
              vpcCidr: '10.7.0.0/16',
              subnet: 'sub',
              cidr: '10.7.1.0/24',
              type: 'private',
            },
            title: 'add-subnet to a VPC that does not exist (nosuchvpc)',
          },
          { vpc: 'nosuchvpc', cidr: '10.7.0.0/16' },
        ),
      ],
    },
  ],
};

const [VPC1_PUB, VPC1_PRIV] = VPC1.subnets as [SubnetPlan, SubnetPlan];
const [VPC2_PUB, VPC2_PRIV] = VPC2.subnets as [SubnetPlan, SubnetPlan];

const vpc1Phase: PhasePlan = {
  id: 'vpc1',
  title: 'vpc1: subnets, intra-VPC routing, NAT for the public subnet, the app',
  stages: [
    {
      id: 'vpc1',
      title: 'after building vpc1',
      expectSubnets: [PUB1, PRIV1],
      steps: [
        createVpc(VPC1, 'create vpc1 10.0.0.0/16'),
        createVpc(VPC1, 'create vpc1 again (must change nothing)', {
          want: 'accept',
          criterion: 'idempotent-create',
        }),
        addSubnet(VPC1, VPC1_PUB),
        addSubnet(VPC1, VPC1_PRIV),
        allowIntraVpc(VPC1),
        {
          step: 'enableNat',
          vars: { vpc: 'vpc1', vpcCidr: VPC1.cidr, subnet: VPC1_PUB.name, cidr: VPC1_PUB.cidr },
          title: 'NAT vpc1 public to the internet through the uplink',
        },
        {
          step: 'deployHttp',
          // `address` (the discovered host address) is added by the lab runner.
          vars: { vpc: 'vpc1', subnet: VPC1_PUB.name, cidr: VPC1_PUB.cidr, port: APP_PORT },
          title: `serve HTTP on :${APP_PORT} in vpc1 public`,
        },
      ],
      probes: [
        ...intraVpc('vpc1', VPC1, { control: true, criteria: ['intra-vpc-routing'] }).map((spec) =>
          spec.from === PRIV1
            ? { ...spec, criteria: [...spec.criteria, 'nat-private-blocked' as const] }
            : spec,
        ),
        probe('vpc1', 'http', PRIV1, PUB1, 'allowed', { port: APP_PORT, criteria: ['app-deployed'] }),
        probe('vpc1', 'icmp', PUB1, INTERNET, 'allowed', { criteria: ['nat-public-egress'] }),
        probe('vpc1', 'http', PUB1, INTERNET, 'allowed', { port: 80, criteria: ['nat-public-egress'] }),
        probe('vpc1', 'icmp', PRIV1, INTERNET, 'blocked', { criteria: ['nat-private-blocked'] }),
        probe('vpc1', 'http', PRIV1, INTERNET, 'blocked', { port: 80, criteria: ['nat-private-blocked'] }),
      ].map(withSourcePreserved),
    },
  ],
};

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

const vpc2Phase: PhasePlan = {
  id: 'vpc2',
  title: 'vpc2 and default isolation between the VPCs',
  stages: [
    {
      id: 'vpc2',
      title: 'after building vpc2 and isolating the VPCs',
      expectSubnets: [PUB1, PRIV1, PUB2, PRIV2],
      steps: [
        createVpc(VPC2, 'create vpc2 10.1.0.0/16'),
        addSubnet(VPC2, VPC2_PUB),
        addSubnet(VPC2, VPC2_PRIV),
        allowIntraVpc(VPC2),
        {
          step: 'isolateVpcs',
          vars: { vpcA: 'vpc1', vpcB: 'vpc2', cidrA: VPC1.cidr, cidrB: VPC2.cidr },
          title: 'isolate vpc1 and vpc2 from each other',
        },
      ],
      probes: [
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
    },
  ],
};

const peeringPhase: PhasePlan = {
  id: 'peering',
  title: 'peering; only vpc1 public <-> vpc2 public allowed',
  stages: [
    {
      id: 'peering',
      title: 'after peering and the two allow-cidr calls',
      expectSubnets: [PUB1, PRIV1, PUB2, PRIV2],
      steps: [
        {
          step: 'peerVpcs',
          vars: {
            vpcA: 'vpc1',
            vpcB: 'vpc2',
            cidrA: VPC1.cidr,
            cidrB: VPC2.cidr,
            publicCidrA: VPC1_PUB.cidr,
            publicCidrB: VPC2_PUB.cidr,
          },
          title: 'peer vpc1 and vpc2',
        },
        {
          step: 'allowCidr',
          vars: { src: VPC1_PUB.cidr, dst: VPC2_PUB.cidr, vpcA: 'vpc1', vpcB: 'vpc2' },
          title: 'allow vpc1 public -> vpc2 public',
        },
        {
          step: 'allowCidr',
          vars: { src: VPC2_PUB.cidr, dst: VPC1_PUB.cidr, vpcA: 'vpc2', vpcB: 'vpc1' },
          title: 'allow vpc2 public -> vpc1 public',
        },
      ],
      probes: [
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
    },
  ],
};

const policyPhase: PhasePlan = {
  id: 'policy',
  title: 'the seed policy on vpc1 public: tcp/80 allowed, tcp/22 and tcp/443 denied',
  stages: [
    {
      id: 'policy-before',
      title: 'before the policy: the harness listeners on 22 and 443 answer',
      expectSubnets: [PUB1, PRIV1],
      steps: [],
      probes: POLICY_DENIED_PORTS.map((port) =>
        probe('policy-before', 'tcp', PRIV1, PUB1, 'allowed', {
          port,
          control: true,
          criteria: ['policy-denied'],
        }),
      ),
    },
    {
      id: 'policy-after',
      title: 'after the policy',
      expectSubnets: [PUB1, PRIV1],
      steps: [
        {
          step: 'applyPolicy',
          // `policyFile` (written in the profile's format) is added by the lab runner.
          vars: {
            vpc: 'vpc1',
            subnet: VPC1_PUB.name,
            cidr: VPC1_PUB.cidr,
            allowTcpPorts: String(APP_PORT),
            denyTcpPorts: POLICY_DENIED_PORTS.join(','),
          },
          title: 'apply the seed policy to vpc1 public',
        },
      ],
      probes: [
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
    },
  ],
};

const inspectPhase: PhasePlan = {
  id: 'inspect',
  title: 'inspect',
  stages: [
    {
      id: 'inspect',
      title: 'inspect the lab',
      expectSubnets: [PUB1, PRIV1, PUB2, PRIV2],
      steps: [
        {
          step: 'inspect',
          vars: {},
          title: 'inspect (must print the lab and change nothing)',
          check: { want: 'accept', criterion: 'inspect-works' },
        },
      ],
      probes: [],
    },
  ],
};

const teardownPhase: PhasePlan = {
  id: 'teardown',
  title: 'teardown: vpc1 alone (vpc2 keeps working), then vpc2',
  stages: [
    {
      id: 'teardown-vpc1',
      title: 'after tearing down vpc1',
      expectSubnets: [PUB2, PRIV2],
      // The lab runner stops the harness listeners in vpc1 first: they would keep its namespaces alive.
      steps: [teardownVpc('vpc1', VPC1.cidr, 'tear down vpc1')],
      probes: intraVpc('teardown-vpc1', VPC2, { control: true, criteria: ['teardown-independent'] }),
    },
    {
      id: 'teardown-vpc2',
      title: 'after tearing down vpc2',
      expectSubnets: [],
      steps: [teardownVpc('vpc2', VPC2.cidr, 'tear down vpc2')],
      probes: [],
    },
  ],
};

export const STAGE4_PLAN: LabPlan = {
  name: 'stage4',
  vpcs: [VPC1, VPC2],
  wan: { interface: 'eth0', address: '203.0.113.10', gateway: '203.0.113.1' },
  internet: { address: '198.51.100.10', httpPort: 80, label: 'internet' },
  appPort: APP_PORT,
  probePort: PROBE_PORT,
  listeners: [
    { subnet: PUB1, ports: [PROBE_PORT, ...POLICY_DENIED_PORTS] },
    { subnet: PRIV1, ports: [PROBE_PORT] },
    { subnet: PUB2, ports: [PROBE_PORT] },
    { subnet: PRIV2, ports: [PROBE_PORT] },
  ],
  policy: {
    vpc: 'vpc1',
    subnet: VPC1_PUB.name,
    cidr: VPC1_PUB.cidr,
    ingress: [
      { port: 80, protocol: 'tcp', action: 'allow' },
      { port: 22, protocol: 'tcp', action: 'deny' },
      { port: 443, protocol: 'tcp', action: 'deny' },
    ],
  },
  phases: [badInput, vpc1Phase, vpc2Phase, peeringPhase, policyPhase, inspectPhase, teardownPhase],
};

/**
 * The steps each criterion needs: when one is unsupported (`null` in the
 * profile) the criterion is `not-run`, naming the step. A criterion that only
 * uses another step's effect as a positive control (e.g. intra-VPC routing as
 * the control for "blocked") is judged by its probes instead.
 */
export const CRITERION_STEPS: Record<CriterionId, readonly LabStep[]> = {
  'vpc-created': ['createVpc', 'addSubnet'],
  'intra-vpc-routing': ['createVpc', 'addSubnet', 'allowIntraVpc'],
  'app-deployed': ['createVpc', 'addSubnet', 'deployHttp'],
  'nat-public-egress': ['createVpc', 'addSubnet', 'enableNat'],
  // Without NAT nothing reaches the internet: "private is blocked" would pass vacuously.
  'nat-private-blocked': ['createVpc', 'addSubnet', 'enableNat'],
  'isolation-default': ['createVpc', 'addSubnet', 'isolateVpcs'],
  'peering-public': ['createVpc', 'addSubnet', 'peerVpcs', 'allowCidr'],
  // Without peering, "private pairs are still blocked" would pass vacuously.
  'peering-private-blocked': ['createVpc', 'addSubnet', 'peerVpcs'],
  // The policy's allowed port is the app's.
  'policy-allowed': ['createVpc', 'addSubnet', 'deployHttp', 'applyPolicy'],
  'policy-denied': ['createVpc', 'addSubnet', 'deployHttp', 'applyPolicy'],
  'teardown-clean': ['createVpc', 'teardownVpc'],
  'rejects-bad-input': ['createVpc'],
  'idempotent-create': ['createVpc'],
  'source-preserved': ['createVpc', 'addSubnet'],
  'inspect-works': ['inspect'],
  'teardown-independent': ['createVpc', 'addSubnet', 'teardownVpc'],
};

/** The phases whose evidence decides each criterion. */
export const CRITERION_PHASES: Record<CriterionId, readonly PhaseId[]> = {
  'vpc-created': ['vpc1', 'vpc2'],
  'intra-vpc-routing': ['vpc1', 'vpc2'],
  'app-deployed': ['vpc1'],
  'nat-public-egress': ['vpc1'],
  'nat-private-blocked': ['vpc1'],
  'isolation-default': ['vpc2'],
  'peering-public': ['peering'],
  'peering-private-blocked': ['peering'],
  'policy-allowed': ['policy'],
  'policy-denied': ['policy'],
  'teardown-clean': ['teardown'],
  'rejects-bad-input': ['bad-input'],
  'idempotent-create': ['vpc1'],
  'source-preserved': ['vpc1', 'vpc2', 'peering'],
  'inspect-works': ['inspect'],
  'teardown-independent': ['teardown'],
};

/** Which criteria cannot run when `step` is unsupported (and are suspect when it failed). */
export function criteriaForStep(step: string): CriterionId[] {
  return (Object.entries(CRITERION_STEPS) as [CriterionId, readonly string[]][])
    .filter(([, steps]) => steps.includes(step))
    .map(([id]) => id);
}

export function stepsForCriterion(id: CriterionId): readonly LabStep[] {
  return CRITERION_STEPS[id];
}
