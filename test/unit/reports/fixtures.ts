import { isAdvisory } from '../../../src/criteria/ids.js';
import { renderTranscript } from '../../../src/events/transcript.js';
import type { RecordEvent } from '../../../src/events/types.js';
import type { CommandResult } from '../../../src/exec/index.js';
import { escapeCommand, inNetns } from '../../../src/exec/index.js';
import type { CriterionId, CriterionStatus } from '../../../src/model/criteria.js';
import {
  type Expectation,
  type ProbeKind,
  type ProbeOutcome,
  type ProbeResult,
  type TruthTable,
  verdictOf,
} from '../../../src/model/probe.js';
import type {
  CriterionResult,
  Finding,
  PhaseRecord,
  StepResult,
  Summary,
  Topology,
} from '../../../src/model/summary.js';
import type { RunRecord } from '../../../src/reports/transcript-excerpt.js';

/**
 * Realistic runs of the Stage 4 lab, built the way the runner builds them:
 * every step and probe is also a command in the transcript (written with the
 * real transcript formatter), after the phase event that begins each phase.
 */

/** Everything a target could throw at a report: markup, quotes, CDATA ends, control bytes, a lone surrogate. */
export const HOSTILE =
  '<script>alert(1)</script> "double" \'single\' & ]]> and ]]> again \u0000\u0007\u001b[31mred\u001b[0m \ud800 end';

/** A line a target prints that tries to pass for a transcript record. */
export const FAKE_RECORD = '2026-11-24T15:00:00.000Z NOTE phase teardown begins';

interface Subnet {
  key: string;
  vpc: string;
  name: string;
  cidr: string;
  type: 'public' | 'private';
  netns: string;
  address: string;
  gateway: string;
  label: string;
}

function subnet(vpc: string, name: string, cidr: string, netns: string): Subnet {
  const base = cidr.split('/')[0]?.split('.').slice(0, 3).join('.') ?? '';
  const type = name.startsWith('public') ? 'public' : 'private';
  return {
    key: `${vpc}/${name}`,
    vpc,
    name,
    cidr,
    type,
    netns,
    address: `${base}.2`,
    gateway: `${base}.1`,
    label: `${vpc} ${type}`,
  };
}

const INTERNET = { address: '198.51.100.10', label: 'internet' };

class Run {
  private ms: number;
  private nextId = 1;
  readonly events: RecordEvent[] = [];
  readonly probes: ProbeResult[] = [];
  readonly subnets: Record<'pub1' | 'priv1' | 'pub2' | 'priv2', Subnet>;
  phase = '';

  constructor(
    readonly startedAt: string,
    netnsOf: (key: string) => string = (key) => key.replace('/', '-'),
  ) {
    this.ms = Date.parse(startedAt);
    this.subnets = {
      pub1: subnet('vpc1', 'publicsub', '10.0.1.0/24', netnsOf('vpc1/publicsub')),
      priv1: subnet('vpc1', 'privatesub', '10.0.2.0/24', netnsOf('vpc1/privatesub')),
      pub2: subnet('vpc2', 'publicsub', '10.1.1.0/24', netnsOf('vpc2/publicsub')),
      priv2: subnet('vpc2', 'privatesub', '10.1.2.0/24', netnsOf('vpc2/privatesub')),
    };
  }

  private at(advance: number): string {
    this.ms += advance;
    return new Date(this.ms).toISOString();
  }

  note(text: string): void {
    this.events.push({ kind: 'note', at: this.at(1), text });
  }

  begin(phase: string): void {
    this.phase = phase;
    this.events.push({ kind: 'phase', at: this.at(1), phase: phase as never, state: 'begin' });
  }

  command(
    argv: string[],
    options: {
      netns?: string;
      label: string;
      exitCode?: number | undefined;
      durationMs?: number;
      stdout?: string;
      stderr?: string;
      timedOut?: boolean;
    },
  ): { escapedCommand: string; startedAt: string; durationMs: number; exitCode: number | undefined } {
    const id = this.nextId++;
    const escapedCommand = escapeCommand(inNetns(options.netns, argv));
    const startedAt = this.at(2);
    const durationMs = options.durationMs ?? 7;
    const exitCode = 'exitCode' in options ? options.exitCode : 0;
    this.events.push({
      kind: 'start',
      id,
      at: startedAt,
      argv,
      netns: options.netns,
      escapedCommand,
      label: options.label,
    });
    const result: CommandResult = {
      argv,
      command: argv.join(' '),
      escapedCommand,
      netns: options.netns,
      exitCode,
      signal: options.timedOut ? 'SIGKILL' : undefined,
      stdout: options.stdout ?? '',
      stderr: options.stderr ?? '',
      startedAt,
      durationMs,
      timedOut: options.timedOut ?? false,
      failed: exitCode !== 0,
      spawnError: undefined,
    };
    this.events.push({ kind: 'end', id, at: this.at(durationMs), result });
    return { escapedCommand, startedAt, durationMs, exitCode };
  }

  step(
    name: string,
    argvs: string[][],
    status: StepResult['status'] = 'ran',
    failure?: { exitCode: number | undefined; stderr: string; timedOut?: boolean; message?: string },
  ): StepResult {
    const commands: StepResult['commands'] = [];
    let total = 0;
    for (const [index, argv] of argvs.entries()) {
      const last = index === argvs.length - 1;
      const broken = last && failure !== undefined;
      const ran = this.command(argv, {
        label: `step:${name}`,
        exitCode: broken ? failure.exitCode : 0,
        stderr: broken ? failure.stderr : '',
        stdout: broken ? '' : `[vpcctl] ${argv.slice(1).join(' ')}: ok\n`,
        timedOut: broken ? failure.timedOut : false,
        durationMs: 40,
      });
      total += ran.durationMs;
      commands.push({
        command: ran.escapedCommand,
        exitCode: ran.exitCode,
        durationMs: ran.durationMs,
        stderr: broken ? failure.stderr : '',
      });
    }
    const result: StepResult = { step: name, phase: this.phase, status, commands, durationMs: total };
    if (failure?.message) result.message = failure.message;
    return result;
  }

  unsupported(name: string): StepResult {
    return {
      step: name,
      phase: this.phase,
      status: 'unsupported',
      commands: [],
      durationMs: 0,
      message: `the profile maps ${name} to null`,
    };
  }

  probe(
    kind: ProbeKind,
    from: Subnet,
    to: Subnet | 'internet' | { address: string; label: string },
    options: {
      port?: number;
      expected: Expectation;
      control?: boolean;
      outcome?: ProbeOutcome;
      tries?: number;
      detail?: string;
      seenSource?: string;
      httpStatus?: number;
      stderr?: string;
    },
  ): ProbeResult {
    const target =
      to === 'internet'
        ? INTERNET
        : 'key' in to
          ? { subnet: to.key, address: to.address, label: to.label }
          : { address: to.address, label: to.label };
    const toKey = to === 'internet' ? 'internet' : 'key' in to ? to.key : to.address;
    const port = options.port ?? (kind === 'http' ? 80 : kind === 'tcp' ? 8080 : undefined);
    const id = `${this.phase}:${kind}:${from.key}->${toKey}${port === undefined ? '' : `:${port}`}`;
    const outcome = options.outcome ?? (options.expected === 'allowed' ? 'connected' : 'timeout');
    const argv =
      kind === 'icmp'
        ? ['ping', '-c', '1', '-W', '1', target.address]
        : kind === 'tcp'
          ? ['vpc-probe', 'tcp', '--timeout', '2', `${target.address}:${port}`]
          : [
              'curl',
              '-sS',
              '-o',
              '/dev/null',
              '-w',
              '%{http_code}',
              '--max-time',
              '3',
              `http://${target.address}:${port}/`,
            ];
    const tries = options.tries ?? 1;
    const answered = outcome === 'connected';
    let last: ReturnType<Run['command']> | undefined;
    for (let i = 0; i < tries; i++) {
      const final = i === tries - 1;
      last = this.command(argv, {
        netns: from.netns,
        label: `probe:${id}`,
        exitCode: final && answered ? 0 : 1,
        durationMs: final && answered ? 6 : 1000,
        stdout: final && options.httpStatus ? `${options.httpStatus}\n` : '',
        stderr: final ? (options.stderr ?? '') : '',
      });
    }
    if (!last) throw new Error('a probe needs at least one try');
    const probe: ProbeResult = {
      id,
      phase: this.phase,
      kind,
      from: { subnet: from.key, netns: from.netns, address: from.address, label: from.label },
      to: target,
      expected: options.expected,
      control: options.control ?? false,
      outcome,
      command: last.escapedCommand,
      tries,
      startedAt: last.startedAt,
      durationMs: last.durationMs,
    };
    if (port !== undefined) probe.port = port;
    if (options.detail !== undefined) probe.detail = options.detail;
    if (options.seenSource !== undefined) probe.seenSource = options.seenSource;
    if (options.httpStatus !== undefined) probe.httpStatus = options.httpStatus;
    this.probes.push(probe);
    return probe;
  }

  transcript(): string {
    return renderTranscript(this.events);
  }

  elapsedSince(iso: string): number {
    return this.ms - Date.parse(iso);
  }
}

function table(phase: string, kind: ProbeKind, title: string, probes: ProbeResult[]): TruthTable {
  const chosen = probes.filter((p) => p.kind === kind);
  const column = (p: ProbeResult) =>
    p.port === undefined || kind === 'icmp' ? p.to.label : `${p.to.label} :${p.port}`;
  const rows = [...new Set(chosen.map((p) => p.from.label))];
  const columns = [...new Set(chosen.map(column))];
  return {
    phase,
    kind,
    title,
    rows,
    columns,
    cells: chosen.map((p) => ({
      from: p.from.label,
      to: column(p),
      expected: p.expected,
      actual: verdictOf(p.outcome),
      probeId: p.id,
      command: p.command,
    })),
  };
}

function criterion(
  id: CriterionId,
  phase: string,
  status: CriterionStatus,
  message: string,
  probes: ProbeResult[] = [],
): CriterionResult {
  return { id, status, message, advisory: isAdvisory(id), phase, probes };
}

function topologyOf(run: Run): Topology {
  const { pub1, priv1, pub2, priv2 } = run.subnets;
  const view = (s: Subnet) => ({
    key: s.key,
    name: s.name,
    cidr: s.cidr,
    type: s.type,
    netns: s.netns,
    address: s.address,
    gateway: s.gateway,
  });
  return {
    vpcs: [
      { name: 'vpc1', cidr: '10.0.0.0/16', subnets: [view(pub1), view(priv1)] },
      { name: 'vpc2', cidr: '10.1.0.0/16', subnets: [view(pub2), view(priv2)] },
    ],
    peerings: [['vpc1', 'vpc2']],
  };
}

const VPCCTL = ['/opt/target/vpcctl'];
const vpcctl = (...args: string[]) => [...VPCCTL, ...args];

export interface Fixture {
  summary: Summary;
  transcript: string;
  /** What the reports are written from: the run's events and its transcript. */
  record: RunRecord;
}

type Variant = 'pass' | 'fail';

/**
 * One full Stage 4 run. `pass`: every criterion passed. `fail`: NAT egress and
 * peering isolation fail, the policy step is unsupported (not-run), a probe
 * tool breaks (error), teardown leaves things behind, with hostile strings in
 * a step's stderr, a probe's detail, a criterion message and a namespace name.
 */
function buildRun(variant: Variant): Fixture {
  const fail = variant === 'fail';
  const startedAt = fail ? '2026-11-24T16:30:00.000Z' : '2026-11-24T15:00:00.000Z';
  const run = new Run(startedAt, (key) =>
    fail && key === 'vpc2/privatesub' ? `ns"'<img src=x onerror=alert(1)>` : key.replace('/', '-'),
  );
  const { pub1, priv1, pub2, priv2 } = run.subnets;
  const phases: PhaseRecord[] = [];
  const criteria: CriterionResult[] = [];
  const findings: Finding[] = [];
  let mark = startedAt;
  const closePhase = (
    id: string,
    title: string,
    steps: StepResult[],
    truthTables: TruthTable[],
    settleMs?: number,
  ): void => {
    const record: PhaseRecord = { id, title, steps, truthTables, durationMs: run.elapsedSince(mark) };
    if (settleMs !== undefined) record.settleMs = settleMs;
    phases.push(record);
    mark = new Date(Date.parse(mark) + record.durationMs).toISOString();
  };
  const probesOf = (phase: string) => run.probes.filter((p) => p.phase === phase);

  // bad-input: advisory, run first and cleaned at once.
  run.begin('bad-input');
  run.command(vpcctl('create-vpc', '--name', 'bad', '--cidr', '10.0.0.0/33'), {
    label: 'check:rejects-bad-input',
    exitCode: 2,
    stderr: 'error: invalid CIDR 10.0.0.0/33\n',
  });
  run.command(vpcctl('add-subnet', '--vpc', 'nosuch', '--name', 'x', '--cidr', '10.9.1.0/24'), {
    label: 'check:rejects-bad-input',
    exitCode: 1,
    stderr: 'error: unknown VPC nosuch\n',
  });
  criteria.push(
    criterion(
      'rejects-bad-input',
      'bad-input',
      'passed',
      'every bad input exited non-zero with a message and left nothing behind (2 checks)',
    ),
  );
  closePhase('bad-input', 'Bad input is rejected', [], []);

  // vpc1
  run.begin('vpc1');
  const vpc1Steps = [
    run.step('createVpc', [vpcctl('create-vpc', '--name', 'vpc1', '--cidr', '10.0.0.0/16')]),
    run.step('addSubnet', [
      vpcctl(
        'add-subnet',
        '--vpc',
        'vpc1',
        '--name',
        'publicsub',
        '--cidr',
        '10.0.1.0/24',
        '--type',
        'public',
      ),
      vpcctl(
        'add-subnet',
        '--vpc',
        'vpc1',
        '--name',
        'privatesub',
        '--cidr',
        '10.0.2.0/24',
        '--type',
        'private',
      ),
    ]),
    run.step('enableNat', [vpcctl('enable-nat', '--vpc', 'vpc1', '--interface', 'eth0')]),
    run.step(
      'deployHttp',
      [vpcctl('deploy-app', '--vpc', 'vpc1', '--subnet', 'publicsub', '--port', '80')],
      fail ? 'failed' : 'ran',
      fail ? { exitCode: 1, stderr: `Traceback: bind failed\n${HOSTILE}\n${FAKE_RECORD}\n` } : undefined,
    ),
  ];
  const gw1 = [
    run.probe(
      'icmp',
      pub1,
      { address: pub1.gateway, label: 'vpc1 public gateway' },
      { expected: 'allowed', control: true },
    ),
    run.probe(
      'icmp',
      priv1,
      { address: priv1.gateway, label: 'vpc1 private gateway' },
      { expected: 'allowed', control: true },
    ),
  ];
  const intra1 = [
    run.probe('icmp', pub1, priv1, { expected: 'allowed', control: true, tries: 2 }),
    run.probe('icmp', priv1, pub1, { expected: 'allowed', control: true }),
    run.probe('tcp', pub1, priv1, { expected: 'allowed', seenSource: pub1.address }),
    run.probe('tcp', priv1, pub1, { expected: 'allowed', seenSource: priv1.address }),
  ];
  const app = run.probe('http', priv1, pub1, { expected: 'allowed', httpStatus: 200, detail: 'HTTP 200' });
  const egress = [
    run.probe(
      'icmp',
      pub1,
      'internet',
      fail
        ? {
            expected: 'allowed',
            outcome: 'timeout',
            tries: 10,
            detail: 'no reply within 1 s, 10 tries in 12 s',
          }
        : { expected: 'allowed' },
    ),
    run.probe(
      'http',
      pub1,
      'internet',
      fail
        ? { expected: 'allowed', outcome: 'timeout', tries: 10, detail: 'curl: (28) Connection timed out' }
        : {
            expected: 'allowed',
            httpStatus: 200,
            seenSource: '203.0.113.10',
            detail: 'internet host saw 203.0.113.10',
          },
    ),
  ];
  const privateBlocked = [
    run.probe('icmp', priv1, 'internet', { expected: 'blocked', outcome: 'timeout' }),
    run.probe('http', priv1, 'internet', { expected: 'blocked', outcome: 'timeout' }),
  ];
  criteria.push(
    criterion(
      'vpc-created',
      'vpc1',
      'passed',
      'every subnet has a namespace with an address in its CIDR and a default route whose gateway answers',
      gw1,
    ),
    criterion(
      'app-deployed',
      'vpc1',
      fail ? 'failed' : 'passed',
      fail
        ? `deployHttp exited 1; GET http://10.0.1.2:80/ from vpc1 private answered 200 from the harness fallback: ${HOSTILE}`
        : 'GET http://10.0.1.2:80/ from vpc1 private answered 200',
      [app],
    ),
    criterion(
      'nat-public-egress',
      'vpc1',
      fail ? 'failed' : 'passed',
      fail
        ? 'vpc1 public could not reach 198.51.100.10 (icmp timeout after 10 tries; http timeout after 10 tries)'
        : 'vpc1 public reached 198.51.100.10 (icmp, http) and the internet host saw 203.0.113.10',
      egress,
    ),
    criterion(
      'nat-private-blocked',
      'vpc1',
      'passed',
      'vpc1 private cannot reach 198.51.100.10 (timeout) while it reaches vpc1 public',
      [...privateBlocked, intra1[1] as ProbeResult],
    ),
    criterion(
      'idempotent-create',
      'vpc1',
      'passed',
      'create-vpc vpc1 a second time exited 0 and changed nothing',
    ),
  );
  if (fail) {
    findings.push({
      id: 'unnatted-wan-leak',
      severity: 'warning',
      phase: 'vpc1',
      message:
        '3 packets from 10.0.2.2 reached the internet namespace un-NATed: vpc1 private is "blocked" only because the internet cannot route back',
    });
  }
  closePhase('vpc1', 'vpc1, subnets, NAT and the HTTP app', vpc1Steps, [
    table('vpc1', 'icmp', 'ICMP in vpc1 and to the internet', probesOf('vpc1')),
    table('vpc1', 'http', 'HTTP in vpc1 and to the internet', probesOf('vpc1')),
  ]);

  // vpc2 and default isolation
  run.begin('vpc2');
  const vpc2Steps = [
    run.step('createVpc', [vpcctl('create-vpc', '--name', 'vpc2', '--cidr', '10.1.0.0/16')]),
    run.step('addSubnet', [
      vpcctl(
        'add-subnet',
        '--vpc',
        'vpc2',
        '--name',
        'publicsub',
        '--cidr',
        '10.1.1.0/24',
        '--type',
        'public',
      ),
      vpcctl(
        'add-subnet',
        '--vpc',
        'vpc2',
        '--name',
        'privatesub',
        '--cidr',
        '10.1.2.0/24',
        '--type',
        'private',
      ),
    ]),
  ];
  const intra2 = [
    run.probe('icmp', pub2, priv2, { expected: 'allowed', control: true }),
    run.probe('icmp', priv2, pub2, { expected: 'allowed', control: true }),
    run.probe('tcp', pub2, priv2, { expected: 'allowed' }),
    run.probe('tcp', priv2, pub2, { expected: 'allowed' }),
  ];
  const isolation: ProbeResult[] = [];
  for (const [a, b] of [
    [pub1, pub2],
    [pub1, priv2],
    [priv1, pub2],
    [priv1, priv2],
  ] as const) {
    isolation.push(
      run.probe('icmp', a, b, { expected: 'blocked' }),
      run.probe('icmp', b, a, { expected: 'blocked' }),
    );
    isolation.push(
      run.probe('tcp', a, b, { expected: 'blocked' }),
      run.probe('tcp', b, a, { expected: 'blocked' }),
    );
  }
  criteria.push(
    criterion(
      'intra-vpc-routing',
      'vpc2',
      'passed',
      'public <-> private both ways in vpc1 and vpc2 (icmp, tcp)',
      [...intra1, ...intra2],
    ),
    criterion(
      'isolation-default',
      'vpc2',
      'passed',
      'all 8 cross-VPC pairs blocked (icmp, tcp) with positive controls from every source',
      isolation,
    ),
  );
  closePhase('vpc2', 'vpc2 and default isolation', vpc2Steps, [
    table('vpc2', 'icmp', 'ICMP between all subnets before peering', probesOf('vpc2')),
    table('vpc2', 'tcp', 'TCP between all subnets before peering', probesOf('vpc2')),
  ]);

  // peering
  run.begin('peering');
  const peeringSteps = [
    run.step('peerVpcs', [vpcctl('peer', '--vpc1', 'vpc1', '--vpc2', 'vpc2')]),
    run.step('allowCidr', [
      vpcctl('allow-cidr', '--vpc', 'vpc1', '--cidr', '10.1.1.0/24'),
      vpcctl('allow-cidr', '--vpc', 'vpc2', '--cidr', '10.0.1.0/24'),
    ]),
  ];
  const peered = [
    run.probe('icmp', pub1, pub2, { expected: 'allowed', control: true, tries: fail ? 9 : 4 }),
    run.probe('icmp', pub2, pub1, { expected: 'allowed', control: true }),
    run.probe('tcp', pub1, pub2, { expected: 'allowed', seenSource: pub1.address }),
    run.probe('tcp', pub2, pub1, { expected: 'allowed', seenSource: pub2.address }),
  ];
  const stillBlocked: ProbeResult[] = [];
  for (const [a, b] of [
    [pub1, priv2],
    [priv1, pub2],
    [priv1, priv2],
  ] as const) {
    const leaks = fail && a === priv1 && b === priv2;
    stillBlocked.push(
      run.probe(
        'icmp',
        a,
        b,
        leaks ? { expected: 'blocked', outcome: 'connected' } : { expected: 'blocked' },
      ),
      run.probe('icmp', b, a, { expected: 'blocked' }),
    );
  }
  const sourceProbes = [
    run.probe(
      'tcp',
      pub1,
      pub2,
      fail
        ? {
            port: 9090,
            expected: 'allowed',
            outcome: 'error',
            detail: `vpc-probe: listener died: ${HOSTILE}`,
            stderr: `${HOSTILE}\n`,
          }
        : { port: 9090, expected: 'allowed', seenSource: pub1.address, detail: 'receiver saw 10.0.1.2' },
    ),
  ];
  criteria.push(
    criterion(
      'peering-public',
      'peering',
      'passed',
      'vpc1 public <-> vpc2 public both ways (icmp, tcp)',
      peered,
    ),
    criterion(
      'peering-private-blocked',
      'peering',
      fail ? 'failed' : 'passed',
      fail
        ? 'vpc1 private reached vpc2 private after peering (icmp connected, expected blocked)'
        : 'all 6 cross-VPC pairs involving a private subnet still blocked after peering',
      stillBlocked,
    ),
    criterion(
      'source-preserved',
      'peering',
      fail ? 'error' : 'passed',
      fail
        ? 'the tcp listener in vpc2 public broke, so the source address could not be read'
        : 'receivers saw the senders’ own addresses inside each VPC and across peering',
      [...intra1.filter((p) => p.kind === 'tcp'), ...peered.filter((p) => p.kind === 'tcp'), ...sourceProbes],
    ),
  );
  findings.push({
    id: 'settle-stall',
    severity: 'warning',
    phase: 'peering',
    message: `traffic stalled ${fail ? '31.2' : '4.1'} s after peering (the bridge changed its MAC; namespaces kept the old gateway MAC)`,
  });
  closePhase(
    'peering',
    'Peering vpc1 public <-> vpc2 public',
    peeringSteps,
    [
      table('peering', 'icmp', 'ICMP between all subnets after peering', probesOf('peering')),
      table('peering', 'tcp', 'TCP after peering', probesOf('peering')),
    ],
    fail ? 31_200 : 4_100,
  );

  // policy
  run.begin('policy');
  const policySteps = fail
    ? [run.unsupported('applyPolicy')]
    : [
        run.step('applyPolicy', [
          vpcctl('apply-policy', '--vpc', 'vpc1', '--policy', '/run/vpc-verify/policy.json'),
        ]),
      ];
  if (fail) {
    criteria.push(
      criterion(
        'policy-allowed',
        'policy',
        'not-run',
        'the profile does not support applyPolicy (step is null)',
      ),
      criterion(
        'policy-denied',
        'policy',
        'not-run',
        'the profile does not support applyPolicy (step is null)',
      ),
    );
  } else {
    const allowed = [run.probe('tcp', priv1, pub1, { port: 80, expected: 'allowed', control: true })];
    const denied = [
      run.probe('tcp', priv1, pub1, { port: 22, expected: 'blocked' }),
      run.probe('tcp', priv1, pub1, { port: 443, expected: 'blocked' }),
    ];
    criteria.push(
      criterion(
        'policy-allowed',
        'policy',
        'passed',
        'tcp/80 on vpc1 public still answers after the policy',
        allowed,
      ),
      criterion(
        'policy-denied',
        'policy',
        'passed',
        'tcp/22 and tcp/443 on vpc1 public blocked (listeners were running there)',
        denied,
      ),
    );
  }
  closePhase(
    'policy',
    'Security-group policy on vpc1 public',
    policySteps,
    fail ? [] : [table('policy', 'tcp', 'TCP to vpc1 public after the policy', probesOf('policy'))],
  );

  // inspect
  run.begin('inspect');
  const inspectSteps = [run.step('inspect', [vpcctl('inspect', '--vpc', 'vpc1')])];
  criteria.push(
    criterion('inspect-works', 'inspect', 'passed', 'inspect exited 0 and named both subnets of vpc1'),
  );
  closePhase('inspect', 'Inspect', inspectSteps, []);

  // teardown
  run.begin('teardown');
  const teardownSteps = [run.step('teardownVpc', [vpcctl('delete-vpc', '--name', 'vpc1')])];
  const afterTeardown = [
    run.probe('icmp', pub2, priv2, { expected: 'allowed', control: true }),
    run.probe('icmp', priv2, pub2, { expected: 'allowed', control: true }),
  ];
  teardownSteps.push(
    run.step(
      'teardownVpc',
      [vpcctl('delete-vpc', '--name', 'vpc2')],
      fail ? 'timeout' : 'ran',
      fail
        ? {
            exitCode: undefined,
            stderr: 'deleting br-vpc2...\n',
            timedOut: true,
            message: 'killed after 60 s',
          }
        : undefined,
    ),
  );
  criteria.push(
    criterion(
      'teardown-independent',
      'teardown',
      'passed',
      'after deleting vpc1 alone, vpc2 still routes between its subnets',
      afterTeardown,
    ),
    criterion(
      'teardown-clean',
      'teardown',
      fail ? 'failed' : 'passed',
      fail
        ? 'left behind: link br-vpc2, namespace vpc2-publicsub, rule -t nat -A POSTROUTING -s 10.1.0.0/16 -j MASQUERADE'
        : 'nothing the run added is left (namespaces, links, routes, rules, processes)',
    ),
  );
  if (fail) {
    findings.push({
      id: 'leftover-process',
      severity: 'info',
      phase: 'teardown',
      message: 'python3 -m http.server 80 (pid 4242) was still running in vpc1-publicsub at teardown',
    });
  }
  closePhase('teardown', 'Teardown', teardownSteps, [
    table('teardown', 'icmp', 'vpc2 after vpc1 is gone', probesOf('teardown')),
  ]);

  // The runner collects results concurrently: keep the criteria out of canonical order on purpose.
  criteria.reverse();

  const summary: Summary = {
    schemaVersion: 1,
    runId: fail ? '2026-11-24T16-30-00Z-student-a1b2' : '2026-11-24T15-00-00Z-reference-c3d4',
    target: fail
      ? { dir: '/srv/grading/student-42', command: ['python3', 'vpcctl.py'], reference: false }
      : { dir: '/opt/vpc-acceptance', command: ['node', 'dist/src/vpcctl/main.js'], reference: true },
    profile: fail ? { name: 'student-42', path: '/srv/grading/student-42/profile.json' } : { name: 'seed' },
    startedAt,
    durationMs: run.elapsedSince(startedAt),
    verdict: fail ? 'fail' : 'pass',
    deadlineHit: false,
    criteria,
    findings,
    phases,
    environment: {
      kernel: '6.1.0-28-amd64',
      iptablesBackend: 'nft',
      node: 'v20.20.2',
      startState: { name: 'clean', ipForward: 0, forwardPolicy: 'ACCEPT' },
      host: { ipForward: 1, forwardPolicy: 'DROP', brNetfilter: true },
      bridgeNfCallIptables: 0,
    },
    reportsDir: fail
      ? 'reports/2026-11-24T16-30-00Z-student-a1b2'
      : 'reports/2026-11-24T15-00-00Z-reference-c3d4',
    topology: topologyOf(run),
  };
  return {
    summary,
    transcript: run.transcript(),
    record: { events: run.events, transcript: run.transcript() },
  };
}

export function passingRun(): Fixture {
  return buildRun('pass');
}

export function failingRun(): Fixture {
  return buildRun('fail');
}

/** A deep copy to break in tests. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
