import type {
  CommandCheck,
  DiscoveredSubnet,
  LabEvidence,
  PhaseEvidence,
  Snapshot,
} from '../../../src/model/evidence.js';
import type { ProbeKind, ProbeOutcome, ProbeResult } from '../../../src/model/probe.js';
import type { StepResult } from '../../../src/model/summary.js';
import { allSubnets } from '../../../src/plan/lookup.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { endpointsFrom, runMatrix } from '../../../src/probes/runner.js';
import { type Behaviour, fakeClock, fakeExec } from '../probes/fake-network.js';

/**
 * Builds LabEvidence the way the lab runner will: per stage, discovery then
 * runMatrix (the real runner) over a scripted network. By default the network
 * does exactly what the plan expects; tests change the model or patch the
 * evidence afterwards.
 */

export const NETNS: Record<string, { netns: string; address: string; gateway: string }> = {
  'vpc1/publicsub': { netns: 'vpc1-publicsub', address: '10.0.1.2', gateway: '10.0.1.1' },
  'vpc1/privatesub': { netns: 'vpc1-privatesub', address: '10.0.2.2', gateway: '10.0.2.1' },
  'vpc2/publicsub': { netns: 'vpc2-publicsub', address: '10.1.1.2', gateway: '10.1.1.1' },
  'vpc2/privatesub': { netns: 'vpc2-privatesub', address: '10.1.2.2', gateway: '10.1.2.1' },
};

export interface Flow {
  stage: string;
  kind: ProbeKind;
  from: string;
  to: string;
  port: number | undefined;
  expected: 'allowed' | 'blocked' | undefined;
}

export interface LabModel {
  /** Which subnets discovery finds (default: those the stage expects). */
  found?: (key: string, stage: string) => boolean;
  network?: (flow: Flow) => ProbeOutcome | Behaviour;
  checks?: (phase: string) => CommandCheck[];
  stepStatus?: (step: string, phase: string) => StepResult['status'];
  snapshotAfter?: (before: Snapshot) => Snapshot;
  internetSources?: string[];
}

export const BASELINE: Snapshot = {
  netns: ['inet'],
  links: ['lo', 'eth0'],
  addresses: ['eth0 203.0.113.10/24'],
  routes: ['default via 203.0.113.1 dev eth0'],
  rules: ['*filter -A FORWARD -j SANDBOX', '*filter :SANDBOX -'],
  policies: [],
  processes: ['node dist/lab/sandbox/inet-server.js'],
};

export const expectedNetwork = (flow: Flow): ProbeOutcome | Behaviour =>
  flow.expected === 'blocked'
    ? 'timeout'
    : flow.to === 'internet'
      ? { outcome: 'connected', body: 'ok' }
      : 'connected';

function defaultChecks(phase: string): CommandCheck[] {
  const check = (title: string, want: 'reject' | 'accept', exitCode: number, out: string): CommandCheck => ({
    title,
    command: `vpcctl ${title}`,
    exitCode,
    stdout: want === 'accept' ? out : '',
    stderr: want === 'reject' ? out : '',
    leftBehind: [],
    want,
  });
  switch (phase) {
    case 'bad-input':
      return [
        {
          ...check('create-vpc with CIDR 10.0.0.0/33', 'reject', 2, 'error: invalid CIDR 10.0.0.0/33'),
          criterion: 'rejects-bad-input',
        },
        {
          ...check('add-subnet outside its VPC', 'reject', 1, 'error: 10.8.1.0/24 is not inside 10.9.0.0/16'),
          criterion: 'rejects-bad-input',
        },
      ];
    case 'vpc1':
      return [
        {
          ...check('create vpc1 again', 'accept', 0, 'vpc1 exists, nothing to do'),
          criterion: 'idempotent-create',
        },
      ];
    case 'inspect':
      return [
        {
          ...check(
            'inspect',
            'accept',
            0,
            'namespaces: vpc1-publicsub vpc1-privatesub\nbr-vpc1 10.0.1.1/24 10.0.2.1/24\n',
          ),
          criterion: 'inspect-works',
        },
      ];
    default:
      return [];
  }
}

function subnetRecord(key: string, found: boolean): DiscoveredSubnet {
  const [vpc = '', name = ''] = key.split('/');
  const n = NETNS[key];
  const cidr = allSubnets(STAGE4_PLAN).find((s) => s.key === key)?.cidr ?? '';
  return found && n
    ? {
        key,
        vpc,
        name,
        cidr,
        netns: n.netns,
        address: n.address,
        gateway: n.gateway,
        gatewayAnswers: true,
        problem: undefined,
      }
    : {
        key,
        vpc,
        name,
        cidr,
        netns: undefined,
        address: undefined,
        gateway: undefined,
        gatewayAnswers: false,
        problem: `no namespace holds an address inside ${cidr}: there are no named namespaces at all`,
      };
}

const keyOfNetns = (netns: string | undefined) =>
  Object.entries(NETNS).find(([, n]) => n.netns === netns)?.[0];
const keyOfAddress = (address: string) =>
  address === STAGE4_PLAN.internet.address
    ? 'internet'
    : Object.entries(NETNS).find(([, n]) => n.address === address)?.[0];

export async function buildEvidence(model: LabModel = {}): Promise<LabEvidence> {
  const found = model.found ?? (() => true);
  const network = model.network ?? expectedNetwork;
  const phases: PhaseEvidence[] = [];
  for (const phasePlan of STAGE4_PLAN.phases) {
    const probes: ProbeResult[] = [];
    const steps: StepResult[] = [];
    let discovery: DiscoveredSubnet[] = [];
    let settleMs: number | undefined = 0;
    for (const stage of phasePlan.stages) {
      for (const step of stage.steps.filter((s) => !s.check)) {
        steps.push({
          step: step.step,
          phase: phasePlan.id,
          status: model.stepStatus?.(step.step, phasePlan.id) ?? 'ran',
          commands: [{ command: `vpcctl ${step.step}`, exitCode: 0, durationMs: 5, stderr: '' }],
          durationMs: 5,
        });
      }
      discovery = stage.expectSubnets.map((key) => subnetRecord(key, found(key, stage.id)));
      const clock = fakeClock();
      const { exec } = fakeExec(
        clock,
        (call) => {
          const from = keyOfNetns(call.netns) ?? '?';
          const to = keyOfAddress(call.address) ?? '?';
          const kind: ProbeKind = call.tool === 'ping' ? 'icmp' : call.port === 80 ? 'http' : 'tcp';
          const spec = stage.probes.find(
            (s) => s.kind === kind && s.from === from && s.to === to && s.port === call.port,
          );
          return network({ stage: stage.id, kind, from, to, port: call.port, expected: spec?.expected });
        },
        (netns) => NETNS[keyOfNetns(netns) ?? '']?.address,
      );
      const matrix = await runMatrix(stage.probes, endpointsFrom(discovery, STAGE4_PLAN), {
        phase: phasePlan.id,
        exec,
        clock,
        positiveDeadlineMs: 1000,
      });
      probes.push(...matrix.probes);
      if (stage.probes.length > 0) settleMs = matrix.settleMs;
    }
    const isTeardown = phasePlan.id === 'teardown';
    phases.push({
      phase: phasePlan.id,
      reached: true,
      steps,
      discovery: isTeardown
        ? ['vpc2/publicsub', 'vpc2/privatesub'].map((k) => subnetRecord(k, found(k, 'teardown-vpc1')))
        : discovery,
      probes,
      truthTables: [],
      internetSources: phasePlan.id === 'vpc1' ? (model.internetSources ?? ['203.0.113.10']) : [],
      unnattedPackets: 0,
      settleMs,
      checks: (model.checks ?? defaultChecks)(phasePlan.id),
      ...(isTeardown
        ? {
            snapshotBefore: BASELINE,
            snapshotAfter: model.snapshotAfter ? model.snapshotAfter(BASELINE) : BASELINE,
          }
        : {}),
      durationMs: 100,
    });
  }
  return { phases, findings: [], unsupportedSteps: [], deadlineHit: false, harnessError: undefined };
}

/** Patch one probe result (by plan id) in place. */
export function patchProbe(evidence: LabEvidence, id: string, patch: Partial<ProbeResult>): void {
  for (const phase of evidence.phases) {
    const index = phase.probes.findIndex((p) => p.id === id);
    const current = phase.probes[index];
    if (current) {
      phase.probes[index] = { ...current, ...patch };
      return;
    }
  }
  throw new Error(`no probe ${id}`);
}

export function phaseOf(evidence: LabEvidence, id: string): PhaseEvidence {
  const found = evidence.phases.find((p) => p.phase === id);
  if (!found) throw new Error(`no phase ${id}`);
  return found;
}
