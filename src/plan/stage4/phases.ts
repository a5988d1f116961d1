import {
  FROM_HOOK,
  type PhasePlan,
  type PlannedStep,
  type PlannedStepOf,
  type StepCheck,
  type SubnetPlan,
  type VpcPlan,
} from '../types.js';
import {
  APP_PORT,
  POLICY_DENIED_PORTS,
  PRIV1,
  PRIV2,
  PUB1,
  PUB2,
  VPC1,
  VPC1_PRIV,
  VPC1_PUB,
  VPC2,
  VPC2_PRIV,
  VPC2_PUB,
} from './lab.js';
import { STAGE_PROBES } from './probes.js';

/** The Stage 4 phases, in order: stages, their steps, the subnets each expects, the hooks around them. */

function createVpc(vpc: VpcPlan, title: string, check?: StepCheck): PlannedStepOf<'createVpc'> {
  return {
    step: 'createVpc',
    vars: { vpc: vpc.name, cidr: vpc.cidr, ...subnetVars(vpc) },
    title,
    ...(check ? { check } : {}),
  };
}

function addSubnet(vpc: VpcPlan, s: SubnetPlan): PlannedStepOf<'addSubnet'> {
  return {
    step: 'addSubnet',
    vars: { vpc: vpc.name, vpcCidr: vpc.cidr, subnet: s.name, cidr: s.cidr, type: s.type },
    title: `add ${s.type} subnet ${s.name} ${s.cidr} to ${vpc.name}`,
  };
}

function allowIntraVpc(vpc: VpcPlan): PlannedStepOf<'allowIntraVpc'> {
  return {
    step: 'allowIntraVpc',
    vars: { vpc: vpc.name, cidr: vpc.cidr },
    title: `allow traffic inside ${vpc.name}`,
  };
}

/** The subnet placeholders of a VPC's create and teardown. */
function subnetVars(vpc: VpcPlan) {
  const [pub, priv] = vpc.subnets;
  return {
    publicSubnet: pub?.name ?? '',
    publicCidr: pub?.cidr ?? '',
    privateSubnet: priv?.name ?? '',
    privateCidr: priv?.cidr ?? '',
  };
}

function teardownVpc(vpc: VpcPlan, title: string, cleanup = false): PlannedStepOf<'teardownVpc'> {
  return {
    step: 'teardownVpc',
    vars: { vpc: vpc.name, cidr: vpc.cidr, ...subnetVars(vpc) },
    title,
    ...(cleanup ? { cleanup: true } : {}),
  };
}

/** A profile's optional per-subnet teardown (nothing when it has none), then the VPC's. */
function teardownWithSubnets(vpc: VpcPlan, title: string): PlannedStep[] {
  return [
    ...vpc.subnets.map(
      (s): PlannedStepOf<'teardownSubnet'> => ({
        step: 'teardownSubnet',
        vars: { vpc: vpc.name, vpcCidr: vpc.cidr, subnet: s.name, cidr: s.cidr, type: s.type },
        title: `tear down ${s.type} subnet ${s.name} of ${vpc.name}`,
      }),
    ),
    teardownVpc(vpc, title),
  ];
}

/** A check that a bad input is rejected, then (at once) the clean-up of whatever it might have made. */
function rejectCheck(step: PlannedStep, badVars: string[], cleanupVpc: VpcPlan): PlannedStep[] {
  return [
    { ...step, check: { want: 'reject', criterion: 'rejects-bad-input', badVars } },
    teardownVpc(cleanupVpc, `clean up ${cleanupVpc.name} in case it was accepted`, true),
  ];
}

/**
 * A VPC of the bad-input phase. Its subnets are valid (inside the checker VPC's
 * range), so a profile whose create also makes the subnets is refused for the
 * VPC's CIDR alone.
 */
function checkerVpc(name: string, cidr: string): VpcPlan {
  return {
    name,
    cidr,
    subnets: [
      {
        key: `${name}/publicsub`,
        vpc: name,
        name: 'publicsub',
        cidr: '10.9.1.0/24',
        type: 'public',
        label: name,
      },
      {
        key: `${name}/privatesub`,
        vpc: name,
        name: 'privatesub',
        cidr: '10.9.2.0/24',
        type: 'private',
        label: name,
      },
    ],
  };
}

const BAD_INPUT_VPC = checkerVpc('vchk', '10.9.0.0/16');

export const badInput: PhasePlan = {
  id: 'bad-input',
  title: 'Bad input is rejected (run first, cleaned up at once)',
  stages: [
    {
      id: 'bad-input',
      title: 'bad CIDRs, a subnet outside its VPC, an unknown VPC',
      expectSubnets: [],
      probes: STAGE_PROBES['bad-input'] ?? [],
      steps: [
        // Once, before anything (and so before vpc1's teardown baseline): the tool's own working state.
        { step: 'setup', vars: {}, title: "the tool's own set-up" },
        ...rejectCheck(
          createVpc(
            checkerVpc('vbad1', '10.0.0.0/33'),
            'create-vpc with a prefix longer than 32 (10.0.0.0/33)',
          ),
          ['cidr'],
          checkerVpc('vbad1', '10.0.0.0/33'),
        ),
        ...rejectCheck(
          createVpc(checkerVpc('vbad2', '256.1.0.0/16'), 'create-vpc with an octet over 255 (256.1.0.0/16)'),
          ['cidr'],
          checkerVpc('vbad2', '256.1.0.0/16'),
        ),
        ...rejectCheck(
          createVpc(checkerVpc('vbad3', 'not-a-cidr'), 'create-vpc with a CIDR that is not one (not-a-cidr)'),
          ['cidr'],
          checkerVpc('vbad3', 'not-a-cidr'),
        ),
        // The positive control of this phase: the target accepts a valid VPC.
        createVpc(
          BAD_INPUT_VPC,
          `create a valid VPC ${BAD_INPUT_VPC.name} ${BAD_INPUT_VPC.cidr} (to add a bad subnet to)`,
        ),
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
          check: { want: 'reject', criterion: 'rejects-bad-input', badVars: ['cidr'] },
        },
        teardownVpc(BAD_INPUT_VPC, `remove ${BAD_INPUT_VPC.name}`, true),
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
          ['vpc'],
          { name: 'nosuchvpc', cidr: '10.7.0.0/16', subnets: [] },
        ),
      ],
    },
  ],
};

const vpc1Phase: PhasePlan = {
  id: 'vpc1',
  title: 'vpc1: subnets, intra-VPC routing, NAT for the public subnet, the app',
  // Before anything of the lab exists: what the teardown phase must return to.
  before: [{ kind: 'teardown-baseline' }],
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
          vars: {
            vpc: 'vpc1',
            subnet: VPC1_PUB.name,
            cidr: VPC1_PUB.cidr,
            port: APP_PORT,
            address: FROM_HOOK,
          },
          title: `serve HTTP on :${APP_PORT} in vpc1 public`,
          before: [{ kind: 'discover-address', subnet: PUB1, into: 'address' }],
        },
      ],
      probes: STAGE_PROBES.vpc1 ?? [],
    },
  ],
};

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
      probes: STAGE_PROBES.vpc2 ?? [],
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
      probes: STAGE_PROBES.peering ?? [],
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
      probes: STAGE_PROBES['policy-before'] ?? [],
    },
    {
      id: 'policy-after',
      title: 'after the policy',
      expectSubnets: [PUB1, PRIV1],
      steps: [
        {
          step: 'applyPolicy',
          vars: {
            vpc: 'vpc1',
            subnet: VPC1_PUB.name,
            cidr: VPC1_PUB.cidr,
            allowTcpPorts: String(APP_PORT),
            denyTcpPorts: POLICY_DENIED_PORTS.join(','),
            policyFile: FROM_HOOK,
          },
          title: 'apply the seed policy to vpc1 public',
          before: [{ kind: 'write-policy', into: 'policyFile' }],
        },
      ],
      probes: STAGE_PROBES['policy-after'] ?? [],
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
          vars: { vpc: 'vpc1' },
          title: 'inspect (must print the lab and change nothing)',
          check: { want: 'accept', criterion: 'inspect-works' },
        },
      ],
      probes: STAGE_PROBES.inspect ?? [],
    },
  ],
};

const teardownPhase: PhasePlan = {
  id: 'teardown',
  title: 'teardown: vpc1 alone (vpc2 keeps working), then vpc2',
  tearsDown: true,
  stages: [
    {
      id: 'teardown-vpc1',
      title: 'after tearing down vpc1',
      expectSubnets: [PUB2, PRIV2],
      before: [{ kind: 'stop-listeners', vpcs: ['vpc1'] }],
      steps: teardownWithSubnets(VPC1, 'tear down vpc1'),
      probes: STAGE_PROBES['teardown-vpc1'] ?? [],
    },
    {
      id: 'teardown-vpc2',
      title: 'after tearing down vpc2',
      expectSubnets: [],
      before: [{ kind: 'stop-listeners', vpcs: ['vpc2'] }],
      // teardownAll: once, after the VPC teardowns and before the settled snapshot.
      steps: [
        ...teardownWithSubnets(VPC2, 'tear down vpc2'),
        { step: 'teardownAll', vars: {}, title: "the tool's own final clean-up" },
      ],
      probes: STAGE_PROBES['teardown-vpc2'] ?? [],
      after: [{ kind: 'settled-snapshot' }],
    },
  ],
};

export const STAGE4_PHASES: PhasePlan[] = [
  badInput,
  vpc1Phase,
  vpc2Phase,
  peeringPhase,
  policyPhase,
  inspectPhase,
  teardownPhase,
];
