import { describe, expect, it } from 'vitest';
import { LabRun } from '../../../lab/runner/index.js';
import type { RecordEvent } from '../../../src/events/types.js';
import { EventStream } from '../../../src/exec/events.js';
import type { LabEvidence, PhaseEvidence, PhaseId, ProbeSpec } from '../../../src/model/evidence.js';
import { PRIV1, PUB1, probeId, STAGE4_PLAN, VPC1, VPC1_PRIV, VPC1_PUB } from '../../../src/plan/stage4.js';
import { FROM_HOOK, type LabPlan } from '../../../src/plan/types.js';
import { validateProfile } from '../../../src/profiles/index.js';
import { FakeLab } from './fake-lab.js';

const profile = validateProfile(
  {
    name: 'fake',
    command: ['/t/tool'],
    steps: {
      createVpc: ['create', '{vpc}', '{cidr}'],
      addSubnet: ['subnet', '{vpc}', '{subnet}', '{cidr}'],
      allowIntraVpc: [],
      enableNat: ['nat', '{vpc}', '{wan}'],
      deployHttp: ['deploy', '{address}', '{port}'],
      isolateVpcs: [],
      peerVpcs: ['peer', '{vpcA}', '{vpcB}'],
      allowCidr: null,
      applyPolicy: ['policy', '{policyFile}'],
      inspect: ['inspect'],
      teardownVpc: ['delete', '{vpc}'],
    },
  },
  'fake profile',
);

function probe(
  kind: ProbeSpec['kind'],
  from: string,
  to: string,
  expected: ProbeSpec['expected'],
  port?: number,
): ProbeSpec {
  return {
    id: probeId('build', kind, from, to, port),
    kind,
    from,
    to,
    ...(port === undefined ? {} : { port }),
    expected,
    control: expected === 'allowed',
    criteria: [],
  };
}

/** Three phases of the Stage 4 shape, small: a check, a build with hooks and probes, a teardown. */
const plan: LabPlan = {
  ...STAGE4_PLAN,
  name: 'mini',
  vpcs: [VPC1],
  listeners: [
    { subnet: PUB1, ports: [7070, 22] },
    { subnet: PRIV1, ports: [7070] },
  ],
  phases: [
    {
      id: 'bad-input',
      title: 'bad input',
      stages: [
        {
          id: 'bad-input',
          title: 'a bad CIDR',
          expectSubnets: [],
          probes: [],
          steps: [
            {
              step: 'createVpc',
              vars: {
                vpc: 'vbad',
                cidr: '10.0.0.0/33',
                publicSubnet: 'p',
                publicCidr: '',
                privateSubnet: 'q',
                privateCidr: '',
              },
              title: 'create-vpc 10.0.0.0/33',
              check: { want: 'reject', criterion: 'rejects-bad-input' },
            },
          ],
        },
      ],
    },
    {
      id: 'vpc1',
      title: 'build vpc1',
      before: [{ kind: 'teardown-baseline' }],
      stages: [
        {
          id: 'build',
          title: 'after building vpc1',
          expectSubnets: [PUB1, PRIV1],
          steps: [
            {
              step: 'createVpc',
              vars: {
                vpc: 'vpc1',
                cidr: VPC1.cidr,
                publicSubnet: '',
                publicCidr: '',
                privateSubnet: '',
                privateCidr: '',
              },
              title: 'create vpc1',
            },
            {
              step: 'addSubnet',
              vars: {
                vpc: 'vpc1',
                vpcCidr: VPC1.cidr,
                subnet: VPC1_PUB.name,
                cidr: VPC1_PUB.cidr,
                type: 'public',
              },
              title: 'add public',
            },
            {
              step: 'addSubnet',
              vars: {
                vpc: 'vpc1',
                vpcCidr: VPC1.cidr,
                subnet: VPC1_PRIV.name,
                cidr: VPC1_PRIV.cidr,
                type: 'private',
              },
              title: 'add private',
            },
            { step: 'allowIntraVpc', vars: { vpc: 'vpc1', cidr: VPC1.cidr }, title: 'allow intra' },
            {
              step: 'deployHttp',
              vars: { vpc: 'vpc1', subnet: VPC1_PUB.name, cidr: VPC1_PUB.cidr, port: 80, address: FROM_HOOK },
              title: 'deploy the app',
              before: [{ kind: 'discover-address', subnet: PUB1, into: 'address' }],
            },
            {
              step: 'allowCidr',
              vars: { src: VPC1_PUB.cidr, dst: VPC1_PRIV.cidr, vpcA: 'vpc1', vpcB: 'vpc1' },
              title: 'allow cidr',
            },
            {
              step: 'applyPolicy',
              vars: {
                vpc: 'vpc1',
                subnet: VPC1_PUB.name,
                cidr: VPC1_PUB.cidr,
                allowTcpPorts: '80',
                denyTcpPorts: '22',
                policyFile: FROM_HOOK,
              },
              title: 'apply the policy',
              before: [{ kind: 'write-policy', into: 'policyFile' }],
            },
          ],
          probes: [probe('icmp', PUB1, PRIV1, 'allowed'), probe('tcp', PRIV1, PUB1, 'blocked', 22)],
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
          title: 'after tearing down vpc1',
          before: [{ kind: 'stop-listeners', vpcs: ['vpc1'] }],
          expectSubnets: [],
          probes: [],
          steps: [{ step: 'teardownVpc', vars: { vpc: 'vpc1', cidr: VPC1.cidr }, title: 'tear down vpc1' }],
          after: [{ kind: 'settled-snapshot' }],
        },
      ],
    },
  ],
};

async function runLab(lab: FakeLab, options: { deadlineMs?: number; keep?: boolean } = {}) {
  const events = new EventStream();
  const recorded: RecordEvent[] = [];
  events.add((e) => recorded.push(e));
  const evidence = await new LabRun({
    plan: lab.plan,
    profile,
    targetDir: '/t',
    invocationEnv: {},
    workdir: '/w',
    events,
    deadline: options.deadlineMs ?? Number.POSITIVE_INFINITY,
    skipTeardown: options.keep ?? false,
    collaborators: lab.collaborators(events),
  }).run();
  return { evidence, events: recorded };
}

const phaseOf = (evidence: LabEvidence, id: PhaseId) => evidence.phases.find((p) => p.phase === id);
const statuses = (phase: PhaseEvidence | undefined) => phase?.steps.map((s) => `${s.step} ${s.status}`);

/**
 * LabEvidence from the run's events alone, by the rules the runner writes
 * them by (docs/architecture.md "The stage runner"); the fold the reports
 * use must agree with it.
 */
function fold(events: RecordEvent[], phases: readonly PhaseId[]): LabEvidence {
  const open = new Map<PhaseId, PhaseEvidence>();
  const closed = new Map<PhaseId, PhaseEvidence>();
  const evidence: LabEvidence = {
    phases: [],
    findings: [],
    unsupportedSteps: [],
    deadlineHit: false,
    harnessError: undefined,
  };
  const blank = (phase: PhaseId, reached: boolean): PhaseEvidence => ({
    phase,
    reached,
    steps: [],
    discovery: [],
    probes: [],
    truthTables: [],
    internetSources: [],
    unnattedPackets: 0,
    settleMs: undefined,
    checks: [],
    durationMs: 0,
  });
  for (const e of events) {
    const current = 'phase' in e && typeof e.phase === 'string' ? open.get(e.phase as PhaseId) : undefined;
    if (e.kind === 'phase' && e.state === 'begin') open.set(e.phase, blank(e.phase, true));
    if (e.kind === 'phase' && e.state === 'not-reached') {
      open.delete(e.phase);
      closed.set(e.phase, blank(e.phase, false));
    }
    if (e.kind === 'phase' && e.state === 'end' && current) {
      const { kind, state, at, phase, ...totals } = e;
      open.delete(phase);
      closed.set(phase, { ...current, settleMs: undefined, ...totals });
    }
    if (e.kind === 'step') current?.steps.push(e.result);
    if (e.kind === 'check') current?.checks.push(e.check);
    if (e.kind === 'discovery' && current) current.discovery = e.subnets;
    if (e.kind === 'probe') current?.probes.push(e.result);
    if (e.kind === 'snapshot' && current)
      current[e.which === 'before' ? 'snapshotBefore' : 'snapshotAfter'] = e.snapshot;
    if (e.kind === 'finding') evidence.findings.push(e.finding);
    if (e.kind === 'run' && e.state === 'end') {
      evidence.unsupportedSteps = e.unsupportedSteps ?? [];
      evidence.deadlineHit = e.deadlineHit ?? false;
      evidence.harnessError = e.harnessError;
    }
  }
  evidence.phases = phases.map((p) => closed.get(p) ?? blank(p, false));
  return evidence;
}

const PHASES = plan.phases.map((p) => p.id);

describe('LabRun over a fake target and a fake network', () => {
  it('runs every phase, stage and step in order and returns what it saw', async () => {
    const lab = new FakeLab(plan);
    const { evidence } = await runLab(lab);
    expect(evidence.phases.map((p) => [p.phase, p.reached])).toEqual([
      ['bad-input', true],
      ['vpc1', true],
      ['teardown', true],
    ]);
    expect(statuses(phaseOf(evidence, 'vpc1'))).toEqual([
      'createVpc ran',
      'addSubnet ran',
      'addSubnet ran',
      'allowIntraVpc skipped',
      'deployHttp ran',
      'allowCidr unsupported',
      'applyPolicy ran',
    ]);
    expect(evidence.unsupportedSteps).toEqual(['allowCidr']);
    const vpc1 = phaseOf(evidence, 'vpc1');
    expect(vpc1?.discovery.map((d) => [d.key, d.netns, d.gatewayAnswers])).toEqual([
      [PUB1, 'ns-vpc1-publicsub', true],
      [PRIV1, 'ns-vpc1-privatesub', true],
    ]);
    expect(vpc1?.probes.map((p) => [p.id, p.outcome])).toEqual([
      [probeId('build', 'icmp', PUB1, PRIV1), 'connected'],
      [probeId('build', 'tcp', PRIV1, PUB1, 22), 'timeout'],
    ]);
    expect(vpc1?.settleMs).toBeGreaterThanOrEqual(0);
    expect(vpc1?.truthTables.length).toBeGreaterThan(0);
    expect(evidence).toMatchObject({ deadlineHit: false, harnessError: undefined });
  });

  it('records a check with what it left behind, and keeps going when a step fails or times out', async () => {
    const lab = new FakeLab(plan);
    lab.behaviour = { allowIntraVpc: { status: 'failed' }, deployHttp: { status: 'timeout' } };
    const { evidence } = await runLab(lab);
    const [check] = phaseOf(evidence, 'bad-input')?.checks ?? [];
    expect(check).toMatchObject({
      title: 'create-vpc 10.0.0.0/33',
      command: '/t/tool create vbad 10.0.0.0/33',
      exitCode: 0,
      stdout: 'ok',
      leftBehind: ['netns: ns-vbad'],
      want: 'reject',
      criterion: 'rejects-bad-input',
    });
    expect(statuses(phaseOf(evidence, 'vpc1'))).toContain('deployHttp timeout');
    expect(statuses(phaseOf(evidence, 'vpc1'))).toContain('applyPolicy ran');
    expect(phaseOf(evidence, 'teardown')?.reached).toBe(true);
  });

  it('fires the hooks where the plan puts them', async () => {
    const lab = new FakeLab(plan);
    lab.leftovers = [];
    const { evidence } = await runLab(lab);
    const argvOf = (step: string) => lab.ran.find((r) => r.step === step)?.argv;
    // discover-address: the address discovery found, just before the step.
    expect(argvOf('deployHttp')).toEqual([['/t/tool', 'deploy', '10.0.1.2', '80']]);
    // write-policy: the file in the profile's format, its path passed.
    expect(argvOf('applyPolicy')).toEqual([['/t/tool', 'policy', '/w/policies/policy.json']]);
    expect(JSON.parse(lab.written.get('/w/policies/policy.json') ?? '{}')).toMatchObject({
      subnet: '10.0.1.0/24',
    });
    // stop-listeners before the teardown stage; the rest stopped by the registered teardown, at the end.
    expect(lab.listenerLog).toEqual([
      'start ns-vpc1-publicsub 7070,22',
      'start ns-vpc1-privatesub 7070',
      'stop ns-vpc1-publicsub',
      'stop ns-vpc1-privatesub',
      'dispose',
    ]);
    // teardown-baseline before vpc1 (the bad-input leftover is in it), settled-snapshot after the teardown stage.
    const teardown = phaseOf(evidence, 'teardown');
    expect(teardown?.snapshotBefore?.netns).toEqual(['ns-vbad']);
    expect(teardown?.snapshotAfter?.netns).toEqual(['ns-vbad']);
    expect(phaseOf(evidence, 'vpc1')?.snapshotBefore).toBeUndefined();
  });

  it('a step hook that throws fails that step only', async () => {
    const lab = new FakeLab(plan);
    const collaborators = lab.collaborators(new EventStream());
    lab.collaborators = () => ({
      ...collaborators,
      writeFile: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    });
    const { evidence } = await runLab(lab);
    const step = phaseOf(evidence, 'vpc1')?.steps.find((s) => s.step === 'applyPolicy');
    expect(step).toMatchObject({ status: 'failed', commands: [] });
    expect(step?.message).toContain('ENOSPC');
    expect(evidence.harnessError).toBeUndefined();
  });

  it('the deadline cuts steps and probes; the reached phase still closes, later phases are not reached', async () => {
    const lab = new FakeLab(plan);
    lab.behaviour = { addSubnet: { takesMs: 5_000 } };
    const { evidence } = await runLab(lab, { deadlineMs: 1_000 });
    const vpc1 = phaseOf(evidence, 'vpc1');
    expect(vpc1?.reached).toBe(true);
    expect(statuses(vpc1)).toEqual(['createVpc ran', 'addSubnet ran']);
    // Discovery closes the stage even past the deadline; the probe matrix does not run.
    expect(vpc1?.discovery.map((d) => d.key)).toEqual([PUB1, PRIV1]);
    expect(vpc1?.probes).toEqual([]);
    expect(phaseOf(evidence, 'teardown')).toMatchObject({ reached: false, steps: [] });
    expect(evidence.deadlineHit).toBe(true);
    // A step never gets more time than the run has left.
    expect(lab.ran.find((r) => r.step === 'createVpc')?.timeoutMs).toBeLessThanOrEqual(1_000);
  });

  it('--keep skips the teardown phase and leaves the listeners running', async () => {
    const lab = new FakeLab(plan);
    const { evidence } = await runLab(lab, { keep: true });
    expect(phaseOf(evidence, 'teardown')?.reached).toBe(false);
    expect(lab.ran.map((r) => r.step)).not.toContain('teardownVpc');
    expect(lab.listenerLog.filter((l) => !l.startsWith('start'))).toEqual([]);
    expect(evidence.deadlineHit).toBe(false);
  });

  it('a harness error ends the run: that phase and the later ones are not reached, the listeners still stop', async () => {
    const lab = new FakeLab(plan);
    lab.discoveryFails = true;
    const { evidence, events } = await runLab(lab);
    expect(evidence.harnessError).toContain('fake discovery broke');
    expect(evidence.phases.map((p) => [p.phase, p.reached])).toEqual([
      ['bad-input', true],
      ['vpc1', false],
      ['teardown', false],
    ]);
    expect(lab.listenerLog.at(-1)).toBe('dispose');
    const note = events.find((e) => e.kind === 'note' && e.text.startsWith('harness error'));
    expect(note).toBeDefined();
  });

  it('a teardown that throws is collected as a harness error; the run still returns its evidence', async () => {
    const lab = new FakeLab(plan);
    lab.listenerStopFails = true;
    const { evidence } = await runLab(lab, {});
    expect(evidence.harnessError).toMatch(/teardown of harness listeners failed: .*operation not permitted/);
    expect(phaseOf(evidence, 'vpc1')?.reached).toBe(true);
  });

  it('emits the lab events in the order things happen', async () => {
    const lab = new FakeLab(plan);
    const { events } = await runLab(lab);
    const outline = events
      .filter((e) => e.kind !== 'note' && e.kind !== 'start' && e.kind !== 'end')
      .map((e) => {
        switch (e.kind) {
          case 'run':
          case 'phase':
            return `${e.kind} ${'phase' in e ? `${e.phase} ` : ''}${e.state}`;
          case 'stage':
            return `stage ${e.stage}`;
          case 'step':
            return `step ${e.result.step}`;
          case 'probe':
            return `probe ${e.result.kind}`;
          default:
            return e.kind;
        }
      });
    expect(outline).toEqual([
      'run begin',
      'phase bad-input begin',
      'stage bad-input',
      'step createVpc',
      'check',
      'phase bad-input end',
      'phase vpc1 begin',
      'stage build',
      'step createVpc',
      'step addSubnet',
      'step addSubnet',
      'step allowIntraVpc',
      'step deployHttp',
      'step allowCidr',
      'step applyPolicy',
      'discovery',
      'probe icmp',
      'probe tcp',
      'phase vpc1 end',
      'phase teardown begin',
      'stage teardown-vpc1',
      'step teardownVpc',
      'snapshot',
      'snapshot',
      'phase teardown end',
      'run end',
    ]);
  });

  it.each([
    ['a whole run', {}, {}],
    ['a run cut by its deadline', { addSubnet: { takesMs: 5_000 } }, { deadlineMs: 1_000 }],
    ['a run with --keep', {}, { keep: true }],
  ])('%s: the events fold to the evidence it returns', async (_name, behaviour, options) => {
    const lab = new FakeLab(plan);
    lab.behaviour = behaviour;
    const { evidence, events } = await runLab(lab, options);
    expect(JSON.parse(JSON.stringify(fold(events, PHASES)))).toEqual(JSON.parse(JSON.stringify(evidence)));
  });

  it('a harness error mid-phase: the fold drops that phase as the evidence does', async () => {
    const lab = new FakeLab(plan);
    lab.discoveryFails = true;
    const { evidence, events } = await runLab(lab);
    expect(JSON.parse(JSON.stringify(fold(events, PHASES)))).toEqual(JSON.parse(JSON.stringify(evidence)));
  });
});
