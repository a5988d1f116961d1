import { describe, expect, it } from 'vitest';
import { LabRun } from '../../../lab/runner/index.js';
import type { RecordEvent } from '../../../src/events/types.js';
import { EventStream } from '../../../src/exec/events.js';
import type { LabEvidence } from '../../../src/model/evidence.js';
import { STAGE4_PLAN, VPC1, VPC1_PRIV, VPC1_PUB } from '../../../src/plan/stage4.js';
import type { LabPlan } from '../../../src/plan/types.js';
import { type Profile, validateProfile } from '../../../src/profiles/index.js';
import { FakeLab } from './fake-lab.js';

const BASE_STEPS = {
  createVpc: ['create', '{vpc}', '{cidr}'],
  addSubnet: ['subnet', '{vpc}', '{subnet}', '{cidr}'],
  allowIntraVpc: [],
  enableNat: ['nat', '{vpc}'],
  deployHttp: 'harness',
  isolateVpcs: [],
  peerVpcs: ['peer', '{vpcA}', '{vpcB}'],
  allowCidr: ['allow', '{src}', '{dst}'],
  applyPolicy: ['policy', '{policyFile}'],
  inspect: ['inspect', '{vpc}'],
  teardownVpc: ['delete', '{vpc}', '{publicSubnet}', '{privateCidr}'],
};

/** A tool with every quirk the runner must honour. */
const quirky = validateProfile(
  {
    name: 'quirky',
    command: ['/t/tool'],
    cwd: '{dir}/state',
    steps: {
      ...BASE_STEPS,
      setup: ['!', 'mkdir', '-p', '{dir}/state'],
      addSubnet: ['subnet', '{vpc}', '{subnet}'],
      allowCidr: { impliedBy: 'peerVpcs' },
      teardownSubnet: ['subnet-rm', '{vpc}', '{subnet}'],
      teardownAll: ['purge'],
    },
  },
  'quirky profile',
);

const plain = validateProfile({ name: 'plain', command: ['/t/tool'], steps: BASE_STEPS }, 'plain profile');

const vpc1Vars = {
  vpc: 'vpc1',
  cidr: VPC1.cidr,
  publicSubnet: VPC1_PUB.name,
  publicCidr: VPC1_PUB.cidr,
  privateSubnet: VPC1_PRIV.name,
  privateCidr: VPC1_PRIV.cidr,
};

const plan: LabPlan = {
  ...STAGE4_PLAN,
  name: 'profile-steps',
  vpcs: [VPC1],
  listeners: [],
  phases: [
    {
      id: 'bad-input',
      title: 'bad input',
      stages: [
        {
          id: 'bad-input',
          title: 'setup and a subnet outside its VPC',
          expectSubnets: [],
          probes: [],
          steps: [
            { step: 'setup', vars: {}, title: 'set up' },
            {
              step: 'addSubnet',
              vars: {
                vpc: 'vpc1',
                vpcCidr: VPC1.cidr,
                subnet: 'outside',
                cidr: '10.8.1.0/24',
                type: 'private',
              },
              title: 'add-subnet outside its VPC',
              check: { want: 'reject', criterion: 'rejects-bad-input', badVars: ['cidr'] },
            },
          ],
        },
      ],
    },
    {
      id: 'vpc1',
      title: 'build',
      before: [{ kind: 'teardown-baseline' }],
      stages: [
        {
          id: 'build',
          title: 'build vpc1',
          expectSubnets: [],
          probes: [],
          steps: [
            { step: 'createVpc', vars: vpc1Vars, title: 'create vpc1' },
            {
              step: 'allowCidr',
              vars: { src: VPC1_PUB.cidr, dst: VPC1_PRIV.cidr, vpcA: 'vpc1', vpcB: 'vpc1' },
              title: 'allow cidr',
            },
            { step: 'inspect', vars: { vpc: 'vpc1' }, title: 'inspect vpc1' },
          ],
        },
      ],
    },
    {
      id: 'teardown',
      title: 'teardown',
      tearsDown: true,
      stages: [
        {
          id: 'teardown-vpc1',
          title: 'tear down',
          expectSubnets: [],
          probes: [],
          steps: [
            {
              step: 'teardownSubnet',
              vars: {
                vpc: 'vpc1',
                vpcCidr: VPC1.cidr,
                subnet: VPC1_PUB.name,
                cidr: VPC1_PUB.cidr,
                type: 'public',
              },
              title: 'tear down the public subnet',
            },
            { step: 'teardownVpc', vars: vpc1Vars, title: 'tear down vpc1' },
            { step: 'teardownAll', vars: {}, title: 'final clean-up' },
          ],
          after: [{ kind: 'settled-snapshot' }],
        },
      ],
    },
  ],
};

async function runLab(lab: FakeLab, profile: Profile) {
  const events = new EventStream();
  const recorded: RecordEvent[] = [];
  events.add((e) => recorded.push(e));
  const world = lab.collaborators(events);
  const snapshotPids: number[][] = [];
  const evidence: LabEvidence = await new LabRun({
    plan: lab.plan,
    profile,
    targetDir: '/t',
    invocationEnv: {},
    workdir: '/w',
    events,
    deadline: Number.POSITIVE_INFINITY,
    collaborators: {
      ...world,
      // The target's inspect starts a daemon (pid 4242) that it never stops.
      runStep: async (options) => {
        const outcome = await world.runStep(options);
        return options.step === 'inspect'
          ? { ...outcome, daemons: [{ pid: 4242, command: 'tool serve', port: 9000, host: '10.0.1.2' }] }
          : outcome;
      },
      snapshot: async (pids) => {
        snapshotPids.push([...pids]);
        return world.snapshot(pids);
      },
    },
  }).run();
  return { evidence, events: recorded, snapshotPids };
}

const steps = (evidence: LabEvidence) =>
  evidence.phases.flatMap((p) => p.steps.map((s) => `${p.phase} ${s.step} ${s.status}`));

describe('LabRun honours the profile quirks', () => {
  it('runs setup first and teardownSubnet/teardownAll around the VPC teardown, as recorded steps', async () => {
    const lab = new FakeLab(plan);
    const { evidence, events } = await runLab(lab, quirky);
    expect(lab.ran.map((r) => r.step)).toEqual([
      'setup',
      'createVpc',
      'inspect',
      'teardownSubnet',
      'teardownVpc',
      'teardownAll',
    ]);
    expect(steps(evidence)).toEqual([
      'bad-input setup ran',
      'bad-input addSubnet skipped',
      'vpc1 createVpc ran',
      'vpc1 allowCidr skipped',
      'vpc1 inspect ran',
      'teardown teardownSubnet ran',
      'teardown teardownVpc ran',
      'teardown teardownAll ran',
    ]);
    const stepEvents = events.filter((e) => e.kind === 'step').map((e) => e.kind === 'step' && e.result.step);
    expect(stepEvents).toContain('setup');
    expect(stepEvents).toContain('teardownAll');
    // The subnet placeholders reach teardownVpc, {vpc} reaches inspect.
    expect(lab.ran.find((r) => r.step === 'teardownVpc')?.argv).toEqual([
      ['/t/tool', 'delete', 'vpc1', VPC1_PUB.name, VPC1_PRIV.cidr],
    ]);
    expect(lab.ran.find((r) => r.step === 'inspect')?.argv).toEqual([['/t/tool', 'inspect', 'vpc1']]);
  });

  it('gives an impliedBy step its reason, not the "[]" note', async () => {
    const { evidence } = await runLab(new FakeLab(plan), quirky);
    const allow = evidence.phases.flatMap((p) => p.steps).find((s) => s.step === 'allowCidr');
    expect(allow?.message).toMatch(/step peerVpcs already does allowCidr/);
  });

  it('runs the commands in the rendered cwd, not the "{dir}" template', async () => {
    const lab = new FakeLab(plan);
    await runLab(lab, quirky);
    expect(new Set(lab.ran.map((r) => r.cwd))).toEqual(new Set(['/t/state']));
  });

  it('records a reject check the profile cannot express as skipped with the reason, never run', async () => {
    const lab = new FakeLab(plan);
    const { evidence } = await runLab(lab, quirky);
    const [check] = evidence.phases.find((p) => p.phase === 'bad-input')?.checks ?? [];
    expect(check?.skipped).toMatch(/never passes \{cidr\}/);
    expect(lab.ran.some((r) => r.step === 'addSubnet')).toBe(false);
  });

  it('leaves the optional steps out when the profile has none, without a "skipped" note', async () => {
    const lab = new FakeLab(plan);
    const { evidence, events } = await runLab(lab, plain);
    expect(steps(evidence)).toEqual([
      'bad-input addSubnet ran',
      'vpc1 createVpc ran',
      'vpc1 allowCidr ran',
      'vpc1 inspect ran',
      'teardown teardownVpc ran',
    ]);
    const notes = events.filter((e) => e.kind === 'note').map((e) => JSON.stringify(e));
    expect(notes.some((n) => /setup|teardownAll|teardownSubnet/.test(n))).toBe(false);
    expect(evidence.phases.find((p) => p.phase === 'bad-input')?.checks[0]?.skipped).toBeUndefined();
  });

  it("keeps the target's daemons running and never counts them as the harness's", async () => {
    const { evidence, events, snapshotPids } = await runLab(new FakeLab(plan), quirky);
    const inspect = evidence.phases.flatMap((p) => p.steps).find((s) => s.step === 'inspect');
    expect(inspect?.daemons?.map((d) => d.pid)).toEqual([4242]);
    expect(snapshotPids.length).toBeGreaterThan(0);
    for (const pids of snapshotPids) expect(pids).not.toContain(4242);
    const notes = events.filter((e) => e.kind === 'note').map((e) => JSON.stringify(e));
    expect(notes.some((n) => n.includes('pid 4242'))).toBe(true);
  });
});
