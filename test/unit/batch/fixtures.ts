import { ADVISORY_CRITERIA, isAdvisory, STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import type { CriterionId, CriterionStatus } from '../../../src/model/criteria.js';
import type {
  Endpoint,
  Expectation,
  ProbeKind,
  ProbeOutcome,
  ProbeResult,
  TruthTable,
} from '../../../src/model/probe.js';
import { verdictOf } from '../../../src/model/probe.js';
import type { CriterionResult, PhaseRecord, Summary, Topology } from '../../../src/model/summary.js';

/**
 * Realistic summaries of the Stage 4 lab (11 criteria + 5 advisory, probes,
 * truth tables per phase, findings, topology), deterministic for a given
 * name and options, so scoreboards built from them can be compared byte for byte.
 */

interface Host {
  key: string;
  label: string;
  netns: string;
  address: string;
}

function hosts(name: string): { p1: Host; q1: Host; p2: Host; q2: Host } {
  const ns = (vpc: string, sub: string) => `${name}-${vpc}-${sub}`.slice(0, 40);
  return {
    p1: { key: 'vpc1/publicsub', label: 'vpc1 public', netns: ns('vpc1', 'pub'), address: '10.0.1.2' },
    q1: { key: 'vpc1/privatesub', label: 'vpc1 private', netns: ns('vpc1', 'priv'), address: '10.0.2.2' },
    p2: { key: 'vpc2/publicsub', label: 'vpc2 public', netns: ns('vpc2', 'pub'), address: '10.1.1.2' },
    q2: { key: 'vpc2/privatesub', label: 'vpc2 private', netns: ns('vpc2', 'priv'), address: '10.1.2.2' },
  };
}

const INTERNET: Endpoint = { address: '198.51.100.10', label: 'internet' };

export interface FixtureOptions {
  /** Criteria whose evidence contradicts the plan (status failed). */
  failing?: CriterionId[];
  errors?: CriterionId[];
  notRun?: CriterionId[];
  /** ISO time the run started (default: a fixed date). */
  startedAt?: string;
  durationMs?: number;
  profile?: string;
  /** Put hostile text (markup, pipes, backticks, fences, control bytes) in target-derived strings. */
  hostile?: boolean;
  deadlineHit?: boolean;
}

const HOSTILE = 'evil | `tick` <script>alert(1)</script> & "q" \'s\' ```fence``` \u0007bell\nnewline, =cmd()';

export function makeSummary(name: string, options: FixtureOptions = {}): Summary {
  const h = hosts(options.hostile ? `${name}"]<b>` : name);
  const startedAt = options.startedAt ?? '2026-11-24T15:00:00.000Z';
  const t0 = Date.parse(startedAt);
  let clock = 0;
  const failing = new Set(options.failing ?? []);
  const errors = new Set(options.errors ?? []);
  const notRun = new Set(options.notRun ?? []);
  const statusOf = (id: CriterionId): CriterionStatus =>
    errors.has(id) ? 'error' : notRun.has(id) ? 'not-run' : failing.has(id) ? 'failed' : 'passed';

  const probes: ProbeResult[] = [];
  const probe = (
    criterion: CriterionId,
    phase: string,
    kind: ProbeKind,
    from: Host,
    to: Host | 'internet',
    expected: Expectation,
    opts: { port?: number; control?: boolean } = {},
  ): void => {
    const status = statusOf(criterion);
    const bad = status === 'failed';
    let outcome: ProbeOutcome;
    if (status === 'error') outcome = 'error';
    else if (expected === 'allowed') outcome = bad ? 'timeout' : 'connected';
    else outcome = bad ? 'connected' : 'timeout';
    if (status === 'not-run') return;
    const target: Endpoint =
      to === 'internet' ? INTERNET : { subnet: to.key, address: to.address, label: to.label };
    const port = opts.port;
    const command =
      kind === 'icmp'
        ? `ip netns exec ${from.netns} ping -n -c 1 -W 1 ${target.address}`
        : kind === 'http'
          ? `ip netns exec ${from.netns} curl -sS -m 2 -o /dev/null -w '%{http_code}' http://${target.address}:${port ?? 80}/`
          : `ip netns exec ${from.netns} nc -z -w 2 ${target.address} ${port ?? 80}`;
    const durationMs = outcome === 'timeout' ? 2004 : 13 + (probes.length % 7);
    clock += 50;
    probes.push({
      id: `${phase}:${kind}:${from.key}->${to === 'internet' ? 'internet' : to.key}${port ? `:${port}` : ''}`,
      phase,
      kind,
      from: { subnet: from.key, netns: from.netns, address: from.address, label: from.label },
      to: target,
      ...(port === undefined ? {} : { port }),
      expected,
      control: opts.control ?? false,
      outcome,
      command,
      tries: outcome === 'connected' ? 1 : 3,
      startedAt: new Date(t0 + clock).toISOString(),
      durationMs,
      ...(kind === 'http' && outcome === 'connected' ? { httpStatus: 200 } : {}),
      ...(to === 'internet' && outcome === 'connected' ? { seenSource: '203.0.113.10' } : {}),
      ...(options.hostile && outcome !== 'connected' ? { detail: HOSTILE } : {}),
      ...(expected === 'blocked' ? { controlsPassed: true } : {}),
    });
    // A contradicted criterion's probes: give the criterion that owns the probe.
    criterionOfProbe.set(probes[probes.length - 1]?.id ?? '', criterion);
  };
  const criterionOfProbe = new Map<string, CriterionId>();

  // Phase vpc1
  probe('vpc-created', 'vpc1', 'icmp', h.p1, h.p1, 'allowed', { control: true });
  probe('intra-vpc-routing', 'vpc1', 'icmp', h.p1, h.q1, 'allowed', { control: true });
  probe('intra-vpc-routing', 'vpc1', 'icmp', h.q1, h.p1, 'allowed', { control: true });
  probe('app-deployed', 'vpc1', 'http', h.q1, h.p1, 'allowed', { port: 80 });
  probe('nat-public-egress', 'vpc1', 'icmp', h.p1, 'internet', 'allowed');
  probe('nat-private-blocked', 'vpc1', 'icmp', h.q1, 'internet', 'blocked');
  // Phase vpc2
  probe('intra-vpc-routing', 'vpc2', 'icmp', h.p2, h.q2, 'allowed', { control: true });
  probe('isolation-default', 'vpc2', 'icmp', h.p1, h.p2, 'blocked');
  probe('isolation-default', 'vpc2', 'icmp', h.p2, h.p1, 'blocked');
  probe('isolation-default', 'vpc2', 'icmp', h.q1, h.q2, 'blocked');
  // Phase peering
  probe('peering-public', 'peering', 'icmp', h.p1, h.p2, 'allowed', { control: true });
  probe('peering-public', 'peering', 'icmp', h.p2, h.p1, 'allowed', { control: true });
  probe('peering-private-blocked', 'peering', 'icmp', h.p1, h.q2, 'blocked');
  probe('peering-private-blocked', 'peering', 'icmp', h.q1, h.p2, 'blocked');
  probe('source-preserved', 'peering', 'tcp', h.p2, h.p1, 'allowed', { port: 8080 });
  // Phase policy
  probe('policy-allowed', 'policy', 'tcp', h.q1, h.p1, 'allowed', { port: 80, control: true });
  probe('policy-denied', 'policy', 'tcp', h.q1, h.p1, 'blocked', { port: 22 });
  probe('policy-denied', 'policy', 'tcp', h.q1, h.p1, 'blocked', { port: 443 });
  // Phase teardown
  probe('teardown-independent', 'teardown', 'icmp', h.p2, h.q2, 'allowed', { control: true });

  const phaseOf: Record<CriterionId, string> = {
    'vpc-created': 'vpc1',
    'intra-vpc-routing': 'vpc1',
    'app-deployed': 'vpc1',
    'nat-public-egress': 'vpc1',
    'nat-private-blocked': 'vpc1',
    'isolation-default': 'vpc2',
    'peering-public': 'peering',
    'peering-private-blocked': 'peering',
    'policy-allowed': 'policy',
    'policy-denied': 'policy',
    'teardown-clean': 'teardown',
    'rejects-bad-input': 'bad-input',
    'idempotent-create': 'vpc1',
    'source-preserved': 'peering',
    'inspect-works': 'inspect',
    'teardown-independent': 'teardown',
  };
  const messages: Record<CriterionStatus, (id: CriterionId) => string> = {
    passed: (id) => `${id}: every probe matched the plan`,
    failed: (id) =>
      options.hostile
        ? `${id}: target said: ${HOSTILE}`
        : `${id}: vpc1 private -> internet (198.51.100.10) answered, expected blocked`,
    error: (id) => `${id}: the probe itself broke (ping: socket: Operation not permitted)`,
    'not-run': (id) => `${id}: the profile has no "peerVpcs" step (null: unsupported)`,
  };
  const criteria: CriterionResult[] = [...STAGE4_CRITERIA, ...ADVISORY_CRITERIA].map((id) => ({
    id,
    status: statusOf(id),
    message: messages[statusOf(id)](id),
    advisory: isAdvisory(id),
    phase: phaseOf[id],
    probes: probes.filter((p) => criterionOfProbe.get(p.id) === id),
  }));

  const tableOf = (phase: string, kind: ProbeKind, title: string): TruthTable[] => {
    const own = probes.filter((p) => p.phase === phase && p.kind === kind);
    if (own.length === 0) return [];
    const col = (p: ProbeResult) => `${p.to.label}${p.port ? ` :${p.port}` : ''}`;
    const rows = [...new Set(own.map((p) => p.from.label))];
    const columns = [...new Set(own.map(col))];
    return [
      {
        phase,
        kind,
        title,
        rows,
        columns,
        cells: own.map((p) => ({
          from: p.from.label,
          to: col(p),
          expected: p.expected,
          actual: verdictOf(p.outcome),
          probeId: p.id,
          command: p.command,
        })),
      },
    ];
  };
  const phase = (
    id: string,
    title: string,
    durationMs: number,
    tables: TruthTable[],
    settleMs?: number,
  ): PhaseRecord => ({
    id,
    title,
    steps: [
      {
        step: id === 'teardown' ? 'teardownVpc' : 'createVpc',
        phase: id,
        status: 'ran',
        commands: [
          {
            command: `vpcctl ${id === 'teardown' ? 'delete-vpc' : 'create-vpc'} --name vpc1`,
            exitCode: 0,
            durationMs: 120,
            stderr: '',
          },
        ],
        durationMs: 120,
      },
    ],
    truthTables: tables,
    ...(settleMs === undefined ? {} : { settleMs }),
    durationMs,
  });
  const phases: PhaseRecord[] = [
    phase('bad-input', 'Bad input is rejected', 900, []),
    phase(
      'vpc1',
      'Phase 1: vpc1, NAT and the app',
      8200,
      [
        ...tableOf('vpc1', 'icmp', 'ICMP within vpc1 and to the internet'),
        ...tableOf('vpc1', 'http', 'HTTP to the app'),
      ],
      240,
    ),
    phase(
      'vpc2',
      'Phase 2: vpc2 and isolation',
      6100,
      tableOf('vpc2', 'icmp', 'ICMP across VPCs before peering'),
      180,
    ),
    phase(
      'peering',
      'Phase 3: peering',
      9400,
      [
        ...tableOf('peering', 'icmp', 'ICMP across the peering'),
        ...tableOf('peering', 'tcp', 'TCP source address across the peering'),
      ],
      options.hostile ? 12_500 : 3100,
    ),
    phase('policy', 'Phase 4: the security policy', 7300, tableOf('policy', 'tcp', 'TCP to vpc1 public')),
    phase('inspect', 'Phase 5: inspect', 400, []),
    phase('teardown', 'Phase 6: teardown', 2600, tableOf('teardown', 'icmp', 'vpc2 after vpc1 is gone')),
  ];

  const topology: Topology = {
    vpcs: [
      {
        name: 'vpc1',
        cidr: '10.0.0.0/16',
        subnets: [
          {
            key: h.p1.key,
            name: 'publicsub',
            cidr: '10.0.1.0/24',
            type: 'public',
            netns: h.p1.netns,
            address: h.p1.address,
            gateway: '10.0.1.1',
          },
          {
            key: h.q1.key,
            name: 'privatesub',
            cidr: '10.0.2.0/24',
            type: 'private',
            netns: h.q1.netns,
            address: h.q1.address,
            gateway: '10.0.2.1',
          },
        ],
      },
      {
        name: 'vpc2',
        cidr: '10.1.0.0/16',
        subnets: [
          {
            key: h.p2.key,
            name: 'publicsub',
            cidr: '10.1.1.0/24',
            type: 'public',
            netns: h.p2.netns,
            address: h.p2.address,
            gateway: '10.1.1.1',
          },
          options.hostile
            ? {
                key: h.q2.key,
                name: 'privatesub',
                cidr: '10.1.2.0/24',
                type: 'private',
                problem: 'no namespace holds an address in 10.1.2.0/24',
              }
            : {
                key: h.q2.key,
                name: 'privatesub',
                cidr: '10.1.2.0/24',
                type: 'private',
                netns: h.q2.netns,
                address: h.q2.address,
                gateway: '10.1.2.1',
              },
        ],
      },
    ],
    peerings: [['vpc1', 'vpc2']],
  };

  const stage4Passed = criteria.filter((c) => !c.advisory && c.status === 'passed').length;
  const verdict = stage4Passed === STAGE4_CRITERIA.length && !options.deadlineHit ? 'pass' : 'fail';
  const runId = `${startedAt.replace(/[:.]/g, '-')}-${name}`;
  return {
    schemaVersion: 1,
    runId,
    target: { dir: `/srv/class/${name}`, command: ['./vpcctl'], reference: false },
    profile: { name: options.profile ?? 'seed' },
    startedAt,
    durationMs: options.durationMs ?? 47_250,
    verdict,
    deadlineHit: options.deadlineHit ?? false,
    criteria,
    findings: options.hostile
      ? [
          {
            id: 'settle-stall',
            severity: 'warning',
            phase: 'peering',
            message: `traffic stalled 12.5 s after peering: ${HOSTILE}`,
          },
          {
            id: 'unnatted-wan-leak',
            severity: 'info',
            message: '3 packets from 10.0.2.2 reached the WAN un-NATed',
          },
        ]
      : [],
    phases,
    environment: {
      kernel: '6.1.0-27-amd64',
      iptablesBackend: 'nf_tables',
      node: 'v20.20.2',
      startState: { name: 'fresh', ipForward: 0, forwardPolicy: 'ACCEPT' },
      host: { ipForward: 1, forwardPolicy: 'DROP', brNetfilter: true },
    },
    reportsDir: `/srv/reports/${name}/${runId}`,
    topology,
  };
}
